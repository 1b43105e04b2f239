/** Decides whether a request that may have reached a replica can be sent to another one. */
export type RetrySafe = (method: string, body: Buffer) => boolean;

export interface RoundRobinProxyOptions {
  /** Default 0 (an ephemeral port); always on 127.0.0.1. */
  port?: number;
  /** How long a replica that failed is skipped. Default 1000 ms. */
  downForMs?: number;
  /** Largest request body relayed. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Longest wait for a replica's answer to start. Default 30000 ms. */
  timeoutMs?: number;
  /** Requests safe to resend after a replica failed mid-request. Default: idempotent HTTP methods only. */
  retrySafe?: RetrySafe;
  /** Keep-alive sockets per replica. Default 256. */
  maxSocketsPerBackend?: number;
}

export interface RoundRobinProxy {
  readonly port: number;
  /** e.g. http://127.0.0.1:41234 */
  readonly url: string;
  readonly stats: { requests: number; retried: number; badGateway: number };
  /** Replaces the replicas (origins such as http://127.0.0.1:3001); the rotation starts again. */
  setBackends(urls: readonly string[]): void;
  /** Per replica: answers relayed and failures seen. */
  answeredBy(): Array<{ url: string; answered: number; failures: number }>;
  close(): Promise<void>;
}

export function idempotentMethod(method: string): boolean;
export function mcpRetrySafe(readOnlyTools: readonly string[]): RetrySafe;
export function startRoundRobinProxy(options?: RoundRobinProxyOptions): Promise<RoundRobinProxy>;
