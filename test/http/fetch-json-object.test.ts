import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { fetchFirstJsonObject, fetchJsonObject, formatAttempts } from '../../src/http/fetch-json-object.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** A real HTTP server answering every request with `handler`, closed after the test. */
async function serve(handler: RequestListener): Promise<string> {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

// These outcome strings end up in `serve`, `login` and `doctor` messages: the wording is the contract.
describe('fetchJsonObject', () => {
  it('returns the object and sends Accept: application/json', async () => {
    let accept: string | undefined;
    const base = await serve((req, res) => {
      accept = req.headers.accept;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"issuer":"x"}');
    });
    expect(await fetchJsonObject(fetch, `${base}/doc`, 2000)).toEqual({ ok: true, body: { issuer: 'x' } });
    expect(accept).toBe('application/json');
  });

  it('reports a status other than 200 as `HTTP <status>`', async () => {
    const base = await serve((_req, res) => void res.writeHead(404).end('{}'));
    expect(await fetchJsonObject(fetch, base, 2000)).toEqual({ ok: false, outcome: 'HTTP 404', network: false });
  });

  it('tells non-JSON from JSON that is not an object', async () => {
    const bodies = ['<html>login</html>', '[1,2]', 'null'];
    const base = await serve((req, res) => void res.writeHead(200).end(bodies[Number(req.url!.slice(1))]));
    expect(await fetchJsonObject(fetch, `${base}/0`, 2000)).toEqual({ ok: false, outcome: 'HTTP 200 but not JSON', network: false });
    expect(await fetchJsonObject(fetch, `${base}/1`, 2000)).toEqual({ ok: false, outcome: 'HTTP 200 but not a JSON object', network: false });
    expect(await fetchJsonObject(fetch, `${base}/2`, 2000)).toEqual({ ok: false, outcome: 'HTTP 200 but not a JSON object', network: false });
  });

  it('reports a refused connection as a network error with its code', async () => {
    const base = await serve(() => undefined);
    await cleanups.pop()!(); // closed again: the port now refuses connections
    expect(await fetchJsonObject(fetch, base, 2000)).toEqual({ ok: false, outcome: 'network error: ECONNREFUSED', network: true });
  });

  it('times out a server that never answers', async () => {
    const base = await serve(() => undefined);
    expect(await fetchJsonObject(fetch, base, 150)).toEqual({ ok: false, outcome: 'timed out after 150 ms', network: true });
  });

  it('times out a body that stalls after the headers instead of calling it "not JSON"', async () => {
    const base = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"issuer":');
    });
    expect(await fetchJsonObject(fetch, base, 300)).toEqual({ ok: false, outcome: 'timed out after 300 ms', network: false });
  });
});

describe('formatAttempts', () => {
  it('writes one indented `url → outcome` line per attempt', () => {
    expect(formatAttempts([{ url: 'http://a/x', outcome: 'HTTP 404' }, { url: 'http://a/y', outcome: 'timed out after 5 ms' }])).toBe(
      '  http://a/x → HTTP 404\n  http://a/y → timed out after 5 ms',
    );
  });
});

describe('fetchFirstJsonObject', () => {
  it('stops at the first JSON object, recording every miss before it and asking nothing after it', async () => {
    const asked: string[] = [];
    const base = await serve((req, res) => {
      asked.push(req.url ?? '');
      if (req.url === '/second') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"n":2}');
      res.writeHead(404).end();
    });
    const result = await fetchFirstJsonObject(fetch, [`${base}/first`, `${base}/second`, `${base}/third`], 2000);
    expect(result).toEqual({
      found: { url: `${base}/second`, body: { n: 2 } },
      attempts: [
        { url: `${base}/first`, outcome: 'HTTP 404' },
        { url: `${base}/second`, outcome: 'HTTP 200' },
      ],
      unreachable: false,
    });
    expect(asked).toEqual(['/first', '/second']);
  });

  it('says unreachable only when no URL answered at all', async () => {
    const closed = await serve(() => undefined);
    await cleanups.pop()!();
    const answering = await serve((_req, res) => res.writeHead(500).end());
    expect(await fetchFirstJsonObject(fetch, [`${closed}/a`, `${closed}/b`], 2000)).toMatchObject({ found: undefined, unreachable: true });
    expect(await fetchFirstJsonObject(fetch, [`${closed}/a`, `${answering}/b`], 2000)).toMatchObject({ found: undefined, unreachable: false });
  });
});
