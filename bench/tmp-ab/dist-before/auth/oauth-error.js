const STATUS = {
    invalid_request: 400,
    invalid_token: 401,
    insufficient_scope: 403,
};
/**
 * An error a resource server may show a client. `description` is public (it reaches the
 * `WWW-Authenticate` header and the JSON body); `detail` is for the server's log only.
 */
export class OAuthError extends Error {
    code;
    status;
    description;
    detail;
    /** Scopes the client should ask for (insufficient_scope). */
    scope;
    constructor(code, description, options = {}) {
        super(description, { cause: options.cause });
        this.name = 'OAuthError';
        this.code = code;
        this.status = STATUS[code];
        this.description = description;
        this.detail = options.detail;
        this.scope = options.scope;
    }
}
//# sourceMappingURL=oauth-error.js.map