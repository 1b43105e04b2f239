import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { closeNow, listen } from '../net/http-server.js';
import { interruption } from '../errors/interrupted.js';
import { ClientError } from './client-error.js';

// What the user was doing when a signal ends the wait (`interrupted while waiting for the login in the browser`).
const WAIT = 'waiting for the login in the browser';

export interface LoopbackListenerOptions {
  /** The `state` the authorization request carries; a redirect with any other value is refused. */
  readonly state: string;
  /** TCP port; 0 picks a free one. Default: 0. */
  readonly port?: number;
  /** Path of the redirect URI. Default: '/callback'. */
  readonly path?: string;
}

export interface LoopbackListener {
  /** `http://127.0.0.1:<port><path>`, the redirect URI to send. */
  readonly redirectUri: string;
  readonly port: number;
  /**
   * Waits for the one redirect: resolves with its full URL (code, state, iss) or rejects with a
   * ClientError: `state_mismatch`, `login_failed` (error= or no code), `login_timeout`, or, when `signal`
   * is aborted, with its reason (an InterruptedError naming this wait). The listener closes either way.
   */
  wait(timeoutMs: number, signal?: AbortSignal): Promise<URL>;
  /** Stops listening (idempotent). */
  close(): Promise<void>;
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function page(title: string, message: string): string {
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">',
    `<title>${escapeHtml(title)}</title></head>`,
    `<body style="font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem">`,
    `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></body></html>`,
  ].join('');
}

/** Answers with a page no browser may cache, frame, script or leak through Referer. */
function respond(res: ServerResponse, status: number, title: string, message: string, done?: () => void): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
  });
  res.end(page(title, message), done);
}

/**
 * A one-shot HTTP listener for the OAuth redirect (RFC 8252 §7.3): bound to 127.0.0.1 only (never all
 * interfaces, never `localhost`, which may resolve elsewhere), it handles exactly one request on its
 * path, checks `state` before anything else, and reports `error=` redirects. Pages are HTML-escaped
 * since every value in them comes from the query string.
 */
export async function startLoopbackListener(options: LoopbackListenerOptions): Promise<LoopbackListener> {
  const path = options.path ?? '/callback';
  let settle: { resolve: (url: URL) => void; reject: (error: Error) => void } | undefined;
  let outcome: { url?: URL; error?: Error } | undefined;
  let port = 0;

  const finish = (result: { url?: URL; error?: Error }) => {
    if (outcome) return;
    outcome = result;
    if (settle) {
      if (result.error) settle.reject(result.error);
      else settle.resolve(result.url!);
    }
    void close();
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (outcome || url.pathname !== path) {
      respond(res, 404, 'Not found', 'Nothing to see here.');
      return;
    }
    if (req.method !== 'GET') {
      respond(res, 405, 'Method not allowed', 'Only the browser redirect is expected here.');
      return;
    }
    const params = url.searchParams;
    if (params.get('state') !== options.state) {
      respond(res, 400, 'Sign-in refused', 'This sign-in response does not belong to the login in progress (state mismatch). Start the login again from the terminal.', () =>
        finish({
          error: new ClientError('state_mismatch', 'The browser came back with a state that does not match this login (possibly a forged request); the login was abandoned. Run the login again.'),
        }),
      );
      return;
    }
    const error = params.get('error');
    if (error) {
      const description = params.get('error_description');
      const reason = description ? `${error}: ${description}` : error;
      respond(res, 400, 'Sign-in failed', `The authorization server reported: ${reason}. You can close this window.`, () =>
        finish({ error: new ClientError('login_failed', `The authorization server refused the login: ${reason}`) }),
      );
      return;
    }
    if (!params.get('code')) {
      respond(res, 400, 'Sign-in failed', 'The response carries no authorization code. You can close this window.', () =>
        finish({ error: new ClientError('login_failed', 'The authorization server redirected back without an authorization code.') }),
      );
      return;
    }
    respond(res, 200, 'Signed in', 'You are signed in to todo-mcp. You can close this window and return to the terminal.', () => finish({ url }));
  };

  const server = createServer(handle);
  port = await listen(server, options.port ?? 0, '127.0.0.1');

  let closing: Promise<void> | undefined;
  function close(): Promise<void> {
    closing ??= closeNow(server);
    return closing;
  }

  return {
    redirectUri: `http://127.0.0.1:${port}${path}`,
    port,
    close,
    wait(timeoutMs, signal) {
      if (!outcome && signal?.aborted) finish({ error: interruption(signal, WAIT) as Error });
      if (outcome) return outcome.error ? Promise.reject(outcome.error) : Promise.resolve(outcome.url!);
      const waiting = new Promise<URL>((resolve, reject) => {
        const timer = setTimeout(
          () => finish({ error: new ClientError('login_timeout', `Nobody completed the login in the browser within ${Math.round(timeoutMs / 1000)} s.`) }),
          timeoutMs,
        );
        const onAbort = () => finish({ error: interruption(signal!, WAIT) as Error });
        signal?.addEventListener('abort', onAbort, { once: true });
        const done = () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
        };
        settle = {
          resolve: (url) => {
            done();
            resolve(url);
          },
          reject: (err) => {
            done();
            reject(err);
          },
        };
      });
      // The caller may still be busy (opening the browser) when the redirect fails; it gets the
      // rejection when it awaits, and Node must not report it as unhandled meanwhile.
      waiting.catch(() => undefined);
      return waiting;
    },
  };
}
