import { describeNetworkError } from './client-error.js';

/** One URL tried during discovery and what it answered, for error messages. */
export interface FetchAttempt {
  readonly url: string;
  /** e.g. `HTTP 404`, `network error: ECONNREFUSED`, `timed out after 5000 ms`, `not JSON`. */
  readonly outcome: string;
}

export type JsonResult =
  | { ok: true; body: Record<string, unknown> }
  | { ok: false; outcome: string; network: boolean };

/** GET a JSON object; every failure (network, status, body) becomes an outcome string, never an exception. */
export async function fetchJsonObject(fetchImpl: typeof fetch, url: string, timeoutMs: number): Promise<JsonResult> {
  let response: Response;
  try {
    response = await fetchImpl(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    return { ok: false, outcome: `network error: ${describeNetworkError(error, timeoutMs)}`, network: true };
  }
  if (response.status !== 200) {
    await response.body?.cancel().catch(() => undefined);
    return { ok: false, outcome: `HTTP ${response.status}`, network: false };
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    return { ok: false, outcome: 'HTTP 200 but not JSON', network: false };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, outcome: 'HTTP 200 but not a JSON object', network: false };
  }
  return { ok: true, body: body as Record<string, unknown> };
}

/** `  url → outcome` lines for an error message. */
export function formatAttempts(attempts: readonly FetchAttempt[]): string {
  return attempts.map((a) => `  ${a.url} → ${a.outcome}`).join('\n');
}
