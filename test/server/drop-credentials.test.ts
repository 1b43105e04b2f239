import { createServer, type IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { dropCredentials } from '../../src/server/drop-credentials.js';

/** A real request as node parses it, with the header twice and in odd case, as a client could send it. */
function capture(): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const server = createServer((req, res) => {
      res.end();
      server.close();
      resolve(req);
    });
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      const socket = connect(port, '127.0.0.1', () => {
        socket.end('POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nAuThorization: Bearer secret-1\r\nx-other: kept\r\nauthorization: Bearer secret-2\r\nContent-Length: 0\r\n\r\n');
      });
      socket.on('error', reject);
      socket.resume();
    });
  });
}

describe('dropCredentials', () => {
  it('removes the Authorization header from headers and rawHeaders, and nothing else', async () => {
    const req = await capture();
    expect(req.rawHeaders.join(' ')).toContain('secret-1');
    dropCredentials(req);
    expect(req.headers.authorization).toBeUndefined();
    expect(req.rawHeaders.join(' ')).not.toMatch(/secret/);
    expect(req.headers['x-other']).toBe('kept');
    expect(req.rawHeaders).toContain('x-other');
  });
});
