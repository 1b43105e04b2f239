import type { StreamableHTTPReconnectionOptions } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { FetchLike, Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { ClientError } from '../client/client-error.js';
import { JSON_RPC, jsonRpcError } from '../http/json-rpc-error.js';
import { describeBackgroundError, forwardingError } from './forwarding-error.js';
import type { HostRequests } from './host-requests.js';
import { createRemoteSession } from './remote-session.js';

export interface BridgeOptions {
  /** The host side, already constructed, not started (the CLI gives the SDK's StdioServerTransport). */
  readonly host: Transport;
  /** The remote MCP endpoint (Streamable HTTP). */
  readonly serverUrl: string;
  /** Carries every HTTP request to the server (see authorized-fetch.ts). */
  readonly fetch: FetchLike;
  /** Notes for the person reading stderr: never protocol output. */
  readonly log: (line: string) => void;
  /** Adds what the user can do about a failure (the login command, say). Default: the error as it is. */
  readonly explain?: (error: ClientError) => ClientError;
  /**
   * Where the host's requests are registered while they are sent, so that its `notifications/cancelled`
   * can end a login waiting for them (give the same to createAuthorizedFetch). Default: none.
   */
  readonly requests?: HostRequests;
  /** Reconnection of lost event streams. Default: remote-session.ts RECONNECTION. */
  readonly reconnection?: StreamableHTTPReconnectionOptions;
}

export interface Bridge {
  /** Resolves once every request the host has sent so far is answered. */
  drained(): Promise<void>;
  /**
   * Stops reading the host, ends the remote session (DELETE, waited for at most `courtesyMs`, default
   * 2 000) and closes both sides; never throws.
   */
  close(courtesyMs?: number): Promise<void>;
}

type RequestId = string | number;

/**
 * Passes JSON-RPC messages between an MCP host and a remote server, unchanged, both ways: requests,
 * answers, notifications (progress, cancellation, list changes) and the server's own requests (ping,
 * sampling, elicitation) with the host's answers. A host request that cannot be forwarded (server
 * unreachable, login refused, scope not granted) is answered with a JSON-RPC error whose message says
 * what happened and what to do, and `data.code` the stable todo-mcp code; the pipe never just dies.
 *
 * HTTP has no ordering between requests, but a notification must not overtake what the host sent before
 * it or be overtaken by what follows (initialized before the first request, a cancellation after its
 * request): every message waits until earlier notifications were accepted (202, a round trip without
 * work), while requests run side by side.
 */
export async function startBridge(options: BridgeOptions): Promise<Bridge> {
  const { host, serverUrl, log } = options;
  const explain = options.explain ?? ((error) => error);
  // Host requests not answered yet → the session generation they went out on (0 while being sent).
  const pending = new Map<RequestId, number>();
  let waiters: Array<() => void> = [];
  let notificationsAccepted: Promise<unknown> = Promise.resolve();

  const toHost = (message: JSONRPCMessage) => host.send(message).catch((error: Error) => log(`Could not write to the host: ${error.message}`));

  const settle = (id: RequestId) => {
    if (!pending.delete(id) || pending.size > 0) return;
    for (const wake of waiters) wake();
    waiters = [];
  };

  const fail = (id: RequestId, error: unknown) => {
    if (!pending.has(id)) return;
    settle(id);
    const failure = explain(forwardingError(error, serverUrl));
    const data = { code: failure.code, ...(failure.scopes.length > 0 ? { scopes: failure.scopes } : {}) };
    void toHost(jsonRpcError(JSON_RPC.serverError, failure.message, id, data) as JSONRPCMessage);
  };

  const remote = createRemoteSession({
    url: new URL(serverUrl),
    fetch: options.fetch,
    ...(options.reconnection ? { reconnection: options.reconnection } : {}),
    onmessage(message) {
      if (!('method' in message) && message.id !== undefined) settle(message.id);
      void toHost(message);
    },
    onSessionReplaced(generation) {
      const lost = new ClientError('server_error', `${serverUrl} ended the MCP session before answering (did it restart?); the request may or may not have been carried out.`);
      for (const [id, sentOn] of pending) if (sentOn !== 0 && sentOn <= generation) fail(id, lost);
    },
    onerror(error) {
      const line = describeBackgroundError(error, serverUrl);
      if (line) log(line);
    },
    log,
  });

  host.onmessage = (message) => {
    const method = 'method' in message ? message.method : undefined;
    const id = 'id' in message ? message.id : undefined;
    const isRequest = method !== undefined && id !== undefined;
    if (isRequest) pending.set(id, 0);
    const sending = isRequest ? options.requests?.sending(id) : undefined;
    // A request the host cancelled expects no answer (and the server should send none): stop waiting for
    // it, and for a login started for it alone.
    if (method === 'notifications/cancelled') {
      const cancelled = (message as { params?: { requestId?: unknown } }).params?.requestId;
      if (typeof cancelled === 'string' || typeof cancelled === 'number') {
        settle(cancelled);
        options.requests?.cancel(cancelled, new ClientError('login_failed', `The host cancelled request ${String(cancelled)}.`));
      }
    }
    const sent = notificationsAccepted.then(() => remote.send(message));
    if (sending) void sent.then(sending, sending);
    if (method !== undefined && id === undefined) notificationsAccepted = sent.catch(() => undefined);
    sent.then(
      (generation) => {
        if (isRequest && pending.get(id) === 0) pending.set(id, generation);
      },
      (error: unknown) => {
        if (isRequest) fail(id, error);
        else log(`Could not pass ${method ?? `the answer to request ${String(id)}`} on: ${explain(forwardingError(error, serverUrl)).message}`);
      },
    );
  };
  host.onerror = (error) => log(`Ignored a line from the host that is not a JSON-RPC message (${error.message.slice(0, 200)}).`);
  await host.start();

  return {
    drained: () => (pending.size === 0 ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve))),
    async close(courtesyMs) {
      host.onmessage = undefined;
      await host.close().catch(() => undefined);
      await remote.close(courtesyMs);
    },
  };
}
