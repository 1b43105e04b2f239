import { StreamableHTTPClientTransport, StreamableHTTPError, type StreamableHTTPReconnectionOptions } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage, JSONRPCRequest } from '@modelcontextprotocol/sdk/types.js';
import { startAgain, type OwnRequests } from './start-again.js';

export interface RemoteSessionOptions {
  /** The MCP endpoint (Streamable HTTP). */
  readonly url: URL;
  /** Carries every HTTP request: token and extra headers (see authorized-fetch.ts). */
  readonly fetch: FetchLike;
  /** Every message the server sends, in arrival order, except answers to the bridge's own requests. */
  readonly onmessage: (message: JSONRPCMessage) => void;
  /** Messages sent on session `generation` or earlier will get no answer: that session is gone. */
  readonly onSessionReplaced: (generation: number) => void;
  /** Errors of the background streams (a lost event stream, a malformed message); never those `send` throws. */
  readonly onerror: (error: Error) => void;
  /** Notes for the person reading stderr. */
  readonly log: (line: string) => void;
  /** How the SDK transport reconnects a lost event stream. Default: {@link RECONNECTION}. */
  readonly reconnection?: StreamableHTTPReconnectionOptions;
  /** Longest wait for the server to answer the bridge's own initialize. Default: 30 000 ms. */
  readonly initializeTimeoutMs?: number;
}

/** The one remote MCP session of a bridge, re-opened behind the host's back when the server forgets it. */
export interface RemoteSession {
  /** Sends one message; resolves with the generation of the session it went out on. */
  send(message: JSONRPCMessage): Promise<number>;
  /** Ends the session (DELETE, bounded by `timeoutMs`, default 2 000) and stops the transport; never throws. */
  close(timeoutMs?: number): Promise<void>;
}

/**
 * A bridge lives as long as its host, so a lost event stream is retried for about a minute (0.5 s
 * doubling to 10 s) instead of the SDK's default two tries: long enough for a server restart.
 */
export const RECONNECTION: StreamableHTTPReconnectionOptions = {
  initialReconnectionDelay: 500,
  maxReconnectionDelay: 10_000,
  reconnectionDelayGrowFactor: 2,
  maxRetries: 10,
};

const CLOSE_TIMEOUT_MS = 2_000;

interface Connection {
  readonly transport: StreamableHTTPClientTransport;
  readonly generation: number;
}

/**
 * The remote side: the SDK's `StreamableHTTPClientTransport`, a raw message transport that keeps up with
 * the spec (session ids, the standalone GET stream for server→client messages, resumption with
 * Last-Event-ID, same-origin redirects), fed by our authorized fetch. Messages pass through unchanged.
 *
 * When the server answers 404 for the session (it restarted or expired it), a new transport opens a new
 * session by replaying the host's own `initialize` and `notifications/initialized`, and the message is
 * sent again: the host never notices. A 404 on the background GET stream does the same at once, so
 * server→client messages flow again before the host's next request.
 */
export function createRemoteSession(options: RemoteSessionOptions): RemoteSession {
  const own: OwnRequests = new Map();
  const claimed = new WeakSet<Error>();
  const state: { initialize?: JSONRPCRequest; initialized: boolean; protocolVersion?: string } = { initialized: false };
  let generations = 0;
  let closing = false;
  let replacing: Promise<void> | undefined;
  // Id of the host's initialize while its answer is outstanding (a later request may reuse the id).
  let awaitingInitialize: string | number | undefined;

  const open = (): Connection => {
    const generation = (generations += 1);
    const watched: FetchLike = async (url, init) => {
      const response = await options.fetch(url, init);
      const method = init?.method ?? 'GET';
      if (response.status === 404 && method === 'GET' && generation === current.generation && state.initialize && state.initialized) {
        void replace(generation).catch((error: Error) => options.log(`Could not open a new session with ${options.url.href}: ${error.message}`));
      }
      return response;
    };
    const transport = new StreamableHTTPClientTransport(options.url, { fetch: watched, reconnectionOptions: options.reconnection ?? RECONNECTION });
    transport.onmessage = (message) => {
      if (!('method' in message) && message.id !== undefined && own.has(message.id)) {
        own.get(message.id)!(message);
        return;
      }
      // The host's initialize answer says which protocol version every later request must name in its header.
      if (awaitingInitialize !== undefined && 'result' in message && message.id === awaitingInitialize) {
        awaitingInitialize = undefined;
        const version = (message.result as { protocolVersion?: unknown }).protocolVersion;
        if (typeof version === 'string') {
          state.protocolVersion = version;
          transport.setProtocolVersion(version);
        }
      }
      options.onmessage(message);
    };
    // The transport reports an error both to onerror and by throwing from send(): report each once, after
    // send's caller had its turn to claim it (its rejection is handled within the same turn of the loop).
    transport.onerror = (error) =>
      setImmediate(() => {
        if (!claimed.has(error) && !closing && generation === current.generation) options.onerror(error);
      });
    void transport.start();
    return { transport, generation };
  };

  let current = open();

  const replace = (generation: number): Promise<void> => {
    if (generation !== current.generation) return Promise.resolve();
    replacing ??= (async () => {
      const next = open();
      try {
        await startAgain(next.transport, { ...state, initialize: state.initialize!, own, id: `todo-mcp-bridge/initialize/${next.generation}`, timeoutMs: options.initializeTimeoutMs ?? 30_000, log: options.log });
      } catch (error) {
        await next.transport.close();
        throw error;
      }
      const old = current;
      current = next;
      // No DELETE for the old one: the server no longer knows it. Closing stops its streams and retries.
      void old.transport.close();
      options.log(`${options.url.href} no longer knew the MCP session (restarted or expired); opened a new one.`);
      options.onSessionReplaced(old.generation);
    })().finally(() => {
      replacing = undefined;
    });
    return replacing;
  };

  const sessionGone = (error: unknown, connection: Connection, message: JSONRPCMessage) =>
    error instanceof StreamableHTTPError &&
    error.code === 404 &&
    connection.transport.sessionId !== undefined &&
    state.initialize !== undefined &&
    !('method' in message && message.method === 'initialize');

  return {
    async send(message) {
      if ('method' in message) {
        if (message.method === 'initialize' && 'id' in message) {
          state.initialize = message as JSONRPCRequest;
          awaitingInitialize = state.initialize.id;
        }
        else if (message.method === 'notifications/initialized') state.initialized = true;
      }
      for (let attempt = 1; ; attempt += 1) {
        // Messages wait for a replacement under way; if it failed, the next 404 tries once more.
        if (replacing) await replacing.catch(() => undefined);
        const connection = current;
        try {
          await connection.transport.send(message);
          return connection.generation;
        } catch (error) {
          if (error instanceof Error) claimed.add(error);
          if (attempt > 1 || !sessionGone(error, connection, message)) throw error;
          await replace(connection.generation);
        }
      }
    },
    async close(timeoutMs = CLOSE_TIMEOUT_MS) {
      if (replacing) await replacing.catch(() => undefined);
      closing = true;
      const { transport } = current;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
      await Promise.race([transport.terminateSession().catch(() => undefined), timeout]);
      clearTimeout(timer);
      await transport.close();
    },
  };
}
