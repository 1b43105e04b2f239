import { describeNetworkError, isTimeoutError } from './network-error.js';

/** One URL tried during discovery and what it answered, for error messages. */
export interface FetchAttempt {
  readonly url: string;
  /** e.g. `HTTP 404`, `network error: ECONNREFUSED`, `timed out after 5000 ms`, `HTTP 200 but not JSON`. */
  readonly outcome: string;
}

/** On failure, `network` is true when nothing answered (refused, DNS, timeout): callers then say "cannot reach". */
export type JsonObjectResult =
  | { ok: true; body: Record<string, unknown> }
  | { ok: false; outcome: string; network: boolean };

/**
 * GET a JSON object; every failure (network, status, body) becomes an outcome string, never an exception.
 * `timeoutMs` covers the body too, so a server that sends headers and then stalls is reported as a timeout.
 */
export async function fetchJsonObject(fetchImpl: typeof fetch, url: string, timeoutMs: number): Promise<JsonObjectResult> {
  let response: Response;
  try {
    response = await fetchImpl(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    return { ok: false, outcome: networkOutcome(error, timeoutMs), network: true };
  }
  if (response.status !== 200) {
    await response.body?.cancel().catch(() => undefined);
    return { ok: false, outcome: `HTTP ${response.status}`, network: false };
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch (error) {
    // A body cut off by the timeout is not the server sending non-JSON; but it did answer, so not `network`.
    const outcome = isTimeoutError(error) ? describeNetworkError(error, timeoutMs) : 'HTTP 200 but not JSON';
    return { ok: false, outcome, network: false };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, outcome: 'HTTP 200 but not a JSON object', network: false };
  }
  return { ok: true, body: body as Record<string, unknown> };
}

/** What {@link fetchFirstJsonObject} found: the first JSON object and its URL (if any), every URL tried with its answer, and whether nothing answered at all. */
export interface FirstJsonObject {
  readonly found: { readonly url: string; readonly body: Record<string, unknown> } | undefined;
  /** In order; the found document's URL last, as `HTTP 200`. */
  readonly attempts: readonly FetchAttempt[];
  /** True when no URL answered (refused, DNS, timeout): callers then say "cannot reach". */
  readonly unreachable: boolean;
}

/**
 * GETs `urls` in order until one answers with a JSON object (discovery: the first document found wins,
 * later URLs are not asked). Never throws.
 */
export async function fetchFirstJsonObject(fetchImpl: typeof fetch, urls: readonly string[], timeoutMs: number): Promise<FirstJsonObject> {
  const attempts: FetchAttempt[] = [];
  let unreachable = true;
  for (const url of urls) {
    const result = await fetchJsonObject(fetchImpl, url, timeoutMs);
    if (result.ok) {
      attempts.push({ url, outcome: 'HTTP 200' });
      return { found: { url, body: result.body }, attempts, unreachable: false };
    }
    attempts.push({ url, outcome: result.outcome });
    unreachable &&= result.network;
  }
  return { found: undefined, attempts, unreachable: unreachable && attempts.length > 0 };
}

/** `  url → outcome` lines for an error message. */
export function formatAttempts(attempts: readonly FetchAttempt[]): string {
  return attempts.map((a) => `  ${a.url} → ${a.outcome}`).join('\n');
}

function networkOutcome(error: unknown, timeoutMs: number): string {
  // "network error: timed out" would say the same thing twice.
  return isTimeoutError(error) ? describeNetworkError(error, timeoutMs) : `network error: ${describeNetworkError(error, timeoutMs)}`;
}
