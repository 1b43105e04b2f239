export class ClientError extends Error {
    code;
    /** For `insufficient_scope`: the scopes still missing. */
    scopes;
    constructor(code, message, options = {}) {
        super(message, { cause: options.cause });
        this.name = 'ClientError';
        this.code = code;
        this.scopes = options.scopes ?? [];
    }
}
/** The network reason hidden in undici's `cause` (ECONNREFUSED, ENOTFOUND, …) or a timeout. */
export function describeNetworkError(error, timeoutMs) {
    if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
        return timeoutMs ? `timed out after ${timeoutMs} ms` : 'timed out';
    }
    const cause = error instanceof Error ? error.cause : undefined;
    return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}
/** True when `error` is a failed fetch (network level), as opposed to an HTTP answer. */
export function isNetworkError(error) {
    if (!(error instanceof Error))
        return false;
    if (error.name === 'TimeoutError' || error.name === 'AbortError')
        return true;
    return error instanceof TypeError && error.message === 'fetch failed';
}
//# sourceMappingURL=client-error.js.map