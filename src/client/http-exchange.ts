import type { Agent, ClientRequestArgs, IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import type { Duplex } from 'node:stream';
import { ClientError } from './client-error.js';

/** A response whose body has not been read yet (read it or call `discard`). */
export interface HttpResponse {
  readonly status: number;
  /** Lower-case names, as node:http gives them. */
  readonly headers: IncomingMessage['headers'];
  readonly body: IncomingMessage;
  /** Drops the rest of the body (and with it the connection, when the body is a stream still open). */
  discard(): void;
}

export interface HttpExchangeOptions {
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly headers?: OutgoingHttpHeaders;
  readonly body?: string;
  /**
   * Aborting it ends the exchange at any point, the body included: the request (or the body being read)
   * fails with the signal's reason, so a caller tells its own deadline and a Ctrl-C apart from a network
   * error. Required: every exchange has an end. (A server that answers nothing is the caller's deadline.)
   */
  readonly signal: AbortSignal;
  /** Connection pool; pass the same agent to reuse connections. Default: Node's global agent. */
  readonly agent?: Agent;
}

/**
 * One HTTP request with node:http/https. The CLI uses this instead of `fetch` because fetch pulls in
 * undici, which alone costs about 40 ms of start-up on every `todo-mcp call`. Network failures become
 * `ClientError('unreachable')` naming the URL and the reason (ECONNREFUSED, …). Redirects are not
 * followed here: the caller decides which it accepts.
 */
export async function httpExchange(url: URL, options: HttpExchangeOptions): Promise<HttpResponse> {
  const { signal } = options;
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ClientError('unreachable', `Cannot reach ${url.href}: only http and https URLs are supported.`);
  }
  signal.throwIfAborted();
  const transport = await httpModuleFor(url);
  const body = options.body === undefined ? undefined : Buffer.from(options.body, 'utf8');
  const headers: OutgoingHttpHeaders = { ...options.headers, ...(body ? { 'content-length': body.length } : {}) };

  return new Promise<HttpResponse>((resolve, reject) => {
    // servername: plain HTTP has no SNI; left unset, Node works one out of the hostname on every request.
    const request = transport.request(url, { method: options.method, headers, agent: options.agent, ...(url.protocol === 'http:' ? { servername: '' } : {}) });
    let response: IncomingMessage | undefined;
    // Destroying with the reason makes a pending request reject, and a body being read throw, with it.
    const abort = () => {
      request.destroy(signal.reason as Error);
      response?.destroy(signal.reason as Error);
    };
    signal.addEventListener('abort', abort, { once: true });
    const done = () => signal.removeEventListener('abort', abort);
    request.on('error', (error: NodeJS.ErrnoException) => {
      done();
      if (signal.aborted) return reject(signal.reason);
      reject(new ClientError('unreachable', `Cannot reach ${url.origin}${url.pathname}: ${error.code ?? error.message}.`, { cause: error }));
    });
    request.on('response', (incoming) => {
      response = incoming;
      incoming.once('close', done);
      resolve({
        status: incoming.statusCode ?? 0,
        headers: incoming.headers,
        body: incoming,
        discard: () => {
          if (!incoming.complete) incoming.destroy();
          else incoming.resume();
        },
      });
    });
    request.end(body);
  });
}

/** Reads a whole (small) body as text, failing past `limitBytes`. */
export async function readText(response: HttpResponse, limitBytes = 16 * 1024 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limitBytes) {
      response.discard();
      throw new ClientError('server_error', `The response is larger than ${limitBytes} bytes.`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A keep-alive pool for one server, so the few requests of a session share a connection. Destroy it when done.
 * For `http://localhost` (todo-mcp's default server URL) it connects to 127.0.0.1, else ::1, without asking a
 * resolver: localhost is loopback (RFC 6761 §6.3; browsers do the same), and Node spends time on the name
 * itself (its IPv6 check of the string takes ~5 ms on first use, the system resolver 1–20 ms), both on
 * every `todo-mcp call`. The Host header still says localhost.
 */
export async function createAgent(url: URL): Promise<Agent> {
  if (url.protocol !== 'http:' || url.hostname !== 'localhost') return new (await httpModuleFor(url)).Agent({ keepAlive: true });
  const { Agent: HttpAgent } = await import('node:http');
  class LocalhostAgent extends HttpAgent {
    override createConnection(options: ClientRequestArgs, callback: (error: Error | null, stream?: Duplex) => void): undefined {
      connectFirst(LOCALHOST_ADDRESSES, Number(options.port), callback);
      return undefined;
    }
  }
  return new LocalhostAgent({ keepAlive: true });
}

const LOCALHOST_ADDRESSES = ['127.0.0.1', '::1'];

/** Connects to the first of `hosts` that accepts (refused → the next); the socket, or the last error, goes to `callback`. */
function connectFirst(hosts: readonly string[], port: number, callback: (error: Error | null, stream?: Duplex) => void): void {
  const [host, ...rest] = hosts;
  const socket = connect({ host, port });
  const onError = (error: NodeJS.ErrnoException) => {
    socket.destroy();
    if (error.code === 'ECONNREFUSED' && rest.length > 0) connectFirst(rest, port, callback);
    else callback(error);
  };
  socket.once('error', onError);
  socket.once('connect', () => {
    socket.off('error', onError);
    callback(null, socket);
  });
}

/** node:https (and its TLS stack) is loaded only for https servers. */
function httpModuleFor(url: URL): Promise<typeof import('node:http') | typeof import('node:https')> {
  return url.protocol === 'https:' ? import('node:https') : import('node:http');
}
