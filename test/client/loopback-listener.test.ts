import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { ClientError } from '../../src/client/client-error.js';
import { startLoopbackListener, type LoopbackListener } from '../../src/client/loopback-listener.js';

const open: LoopbackListener[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((l) => l.close()));
});

async function listener(state = 'expected-state', port?: number): Promise<LoopbackListener> {
  const l = await startLoopbackListener({ state, ...(port !== undefined ? { port } : {}) });
  open.push(l);
  return l;
}

const callback = (l: LoopbackListener, params: Record<string, string>) => {
  const url = new URL(l.redirectUri);
  url.search = new URLSearchParams(params).toString();
  return url;
};

/** Whether a TCP connection to host:port is accepted. */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('loopback redirect listener', () => {
  it('resolves with the redirect when state matches, answers a success page, then stops listening (one request only)', async () => {
    const l = await listener();
    expect(l.redirectUri).toBe(`http://127.0.0.1:${l.port}/callback`);
    const waiting = l.wait(5_000);
    const response = await fetch(callback(l, { code: 'the-code', state: 'expected-state', iss: 'https://as' }));
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await response.text()).toContain('Signed in');
    const url = await waiting;
    expect(url.searchParams.get('code')).toBe('the-code');
    expect(url.searchParams.get('iss')).toBe('https://as');
    await l.close();
    expect(await accepts('127.0.0.1', l.port)).toBe(false);
  });

  it('rejects a redirect with the wrong state (state_mismatch) and ignores other paths', async () => {
    const l = await listener();
    const waiting = l.wait(5_000);
    const stray = await fetch(new URL('/favicon.ico', l.redirectUri));
    expect(stray.status).toBe(404);
    const forged = await fetch(callback(l, { code: 'attacker-code', state: 'other' }));
    expect(forged.status).toBe(400);
    expect(await forged.text()).toContain('state mismatch');
    await expect(waiting).rejects.toMatchObject({ code: 'state_mismatch' });
  });

  it('reports error= from the authorization server, HTML-escaped on the page', async () => {
    const l = await listener();
    const waiting = l.wait(5_000);
    const page = await fetch(callback(l, { error: 'access_denied', error_description: '<script>alert(1)</script> & "no"', state: 'expected-state' }));
    expect(page.status).toBe(400);
    const html = await page.text();
    expect(html).toContain('access_denied: &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;no&quot;');
    expect(html).not.toContain('<script>');
    const error = await waiting.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClientError);
    expect(error).toMatchObject({ code: 'login_failed', message: expect.stringContaining('access_denied: <script>alert(1)</script>') });
  });

  it('a redirect without a code is a failed login', async () => {
    const l = await listener();
    const waiting = l.wait(5_000);
    expect((await fetch(callback(l, { state: 'expected-state' }))).status).toBe(400);
    await expect(waiting).rejects.toMatchObject({ code: 'login_failed' });
  });

  it('times out with login_timeout and closes', async () => {
    const l = await listener();
    const started = Date.now();
    await expect(l.wait(300)).rejects.toMatchObject({ code: 'login_timeout' });
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(await accepts('127.0.0.1', l.port)).toBe(false);
  });

  it('listens on 127.0.0.1 only: not on ::1, not on the machine\'s other addresses', async () => {
    const l = await listener();
    expect(await accepts('127.0.0.1', l.port)).toBe(true);
    expect(await accepts('::1', l.port)).toBe(false);
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a && !a.internal && a.family === 'IPv4')
      .map((a) => a!.address);
    for (const address of others) expect(await accepts(address, l.port), address).toBe(false);
  });

  it('takes a fixed port when asked, and fails when it is taken', async () => {
    const first = await listener();
    await expect(startLoopbackListener({ state: 's', port: first.port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
    const port = first.port;
    await first.close();
    const fixed = await listener('s', port);
    expect(fixed.redirectUri).toBe(`http://127.0.0.1:${port}/callback`);
  });
});
