import type { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { JSONRPCMessage, JSONRPCRequest } from '@modelcontextprotocol/sdk/types.js';

/** Answers awaited by the bridge itself (its own initialize), by request id; the host never sees them. */
export type OwnRequests = Map<string | number, (message: JSONRPCMessage) => void>;

export interface StartAgainOptions {
  /** The host's initialize request, replayed as it was (client info, capabilities, protocol version). */
  readonly initialize: JSONRPCRequest;
  /** Whether the host had sent notifications/initialized (then it is replayed too). */
  readonly initialized: boolean;
  /** The protocol version the host and server agreed on. */
  readonly protocolVersion?: string;
  readonly own: OwnRequests;
  /** Id of the replayed initialize: the bridge's own, so its answer is not passed to the host. */
  readonly id: string;
  readonly timeoutMs: number;
  readonly log: (line: string) => void;
}

/**
 * Opens a new session on a fresh transport with the host's own initialize, as if the host had reconnected:
 * the server sees the same client. A refusal or no answer within `timeoutMs` throws (the message that
 * found the session gone then fails with it).
 */
export async function startAgain(transport: StreamableHTTPClientTransport, options: StartAgainOptions): Promise<void> {
  const { own, id } = options;
  let timer: NodeJS.Timeout | undefined;
  const answer = new Promise<JSONRPCMessage>((resolve, reject) => {
    own.set(id, resolve);
    timer = setTimeout(() => reject(new Error(`no answer to initialize within ${options.timeoutMs} ms`)), options.timeoutMs);
  });
  // Settled by the timer while send() may still be running: never an unhandled rejection.
  answer.catch(() => undefined);
  try {
    await transport.send({ ...options.initialize, id });
    const reply = await answer;
    if ('error' in reply) throw new Error(`it refused initialize: ${reply.error.message}`);
    if (!('result' in reply)) throw new Error('it answered initialize with something other than a result');
    const version = String((reply.result as { protocolVersion?: unknown }).protocolVersion);
    // The host keeps speaking the version it negotiated; a server that changed its mind is worth a note.
    if (options.protocolVersion && version !== options.protocolVersion) {
      options.log(`The new session speaks MCP ${version}; the host agreed on ${options.protocolVersion}.`);
    }
    transport.setProtocolVersion(version);
    if (options.initialized) await transport.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
  } finally {
    clearTimeout(timer);
    own.delete(id);
  }
}
