type RequestId = string | number;

/**
 * The host's requests while the bridge sends them on, each with a signal the host can abort with
 * `notifications/cancelled`. It exists for the one wait inside a send that the host may be the only one
 * to care about: a login or step-up started for its request (see token-source.ts).
 */
export interface HostRequests {
  /** Registers request `id` while it is being sent; call the returned function once the send settled. */
  sending(id: RequestId): () => void;
  /** The host cancelled request `id`: aborts its signal with `reason` (nothing when it is not being sent). */
  cancel(id: RequestId, reason: unknown): void;
  /**
   * The signal of the host request that the POST body `body` carries, or undefined for anything else
   * (notifications, the host's answers, the bridge's own initialize). Parses the body: meant for the
   * rare refusal, not for every message.
   */
  signalOf(body: unknown): AbortSignal | undefined;
}

export function createHostRequests(): HostRequests {
  const sending = new Map<RequestId, AbortController>();
  return {
    sending(id) {
      // A host may reuse the id of an answered request: the newer one owns it from now on.
      const controller = new AbortController();
      sending.set(id, controller);
      return () => {
        if (sending.get(id) === controller) sending.delete(id);
      };
    },
    cancel(id, reason) {
      sending.get(id)?.abort(reason);
    },
    signalOf(body) {
      const id = requestIdOfBody(body);
      return id === undefined ? undefined : sending.get(id)?.signal;
    },
  };
}

/**
 * The id of the JSON-RPC request a POST body carries; undefined for a notification, an answer, a batch or
 * anything unparsable. Parses the body: meant for the rare refusal, not for every message.
 */
export function requestIdOfBody(body: unknown): RequestId | undefined {
  if (typeof body !== 'string') return undefined;
  let message: { id?: unknown; method?: unknown };
  try {
    message = JSON.parse(body) as typeof message;
  } catch {
    return undefined;
  }
  if (typeof message?.method !== 'string' || (typeof message.id !== 'string' && typeof message.id !== 'number')) return undefined;
  return message.id;
}
