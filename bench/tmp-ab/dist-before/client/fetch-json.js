import { describeNetworkError } from './client-error.js';
/** GET a JSON object; every failure (network, status, body) becomes an outcome string, never an exception. */
export async function fetchJsonObject(fetchImpl, url, timeoutMs) {
    let response;
    try {
        response = await fetchImpl(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(timeoutMs) });
    }
    catch (error) {
        return { ok: false, outcome: `network error: ${describeNetworkError(error, timeoutMs)}`, network: true };
    }
    if (response.status !== 200) {
        await response.body?.cancel().catch(() => undefined);
        return { ok: false, outcome: `HTTP ${response.status}`, network: false };
    }
    let body;
    try {
        body = await response.json();
    }
    catch {
        return { ok: false, outcome: 'HTTP 200 but not JSON', network: false };
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        return { ok: false, outcome: 'HTTP 200 but not a JSON object', network: false };
    }
    return { ok: true, body: body };
}
/** `  url → outcome` lines for an error message. */
export function formatAttempts(attempts) {
    return attempts.map((a) => `  ${a.url} → ${a.outcome}`).join('\n');
}
//# sourceMappingURL=fetch-json.js.map