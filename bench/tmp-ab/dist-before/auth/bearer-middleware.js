import { OAuthError } from './oauth-error.js';
import { sendAuthenticationRequired, sendBearerError } from './send-bearer-error.js';
// RFC 7235 token68, the syntax of a bearer token (RFC 6750 §2.1).
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*$/;
/**
 * Express middleware that admits a request only with a valid bearer token in the `Authorization`
 * header and puts the caller's {@link Identity} in `res.locals.identity`.
 *
 * Answers, following RFC 6750 §3.1:
 * - no `Authorization` header, or a scheme other than Bearer (e.g. Basic): the client sent no bearer
 *   credentials → 401 with a challenge WITHOUT an error code, carrying `scope` and `resource_metadata`.
 * - Bearer with no token, several tokens, characters outside token68, or several Authorization headers:
 *   the request is malformed → 400 `invalid_request` (the status RFC 6750 gives that code).
 * - `access_token` in the query string or a form body: those methods are not accepted (the MCP spec forbids
 *   query tokens) → 400 `invalid_request`, even when a header is present too.
 * - the verifier rejects the token → its OAuthError (401 `invalid_token`) with the challenge scopes.
 * - the verifier throws anything else → logged without the token, answered 401 `invalid_token`, never 500.
 */
export function createBearerAuth(options) {
    const { verifier, resourceMetadataUrl, challengeScopes } = options;
    if (typeof verifier?.verify !== 'function')
        throw new TypeError('verifier with a verify() method is required');
    if (!URL.canParse(resourceMetadataUrl))
        throw new TypeError(`resourceMetadataUrl is not a URL: ${resourceMetadataUrl}`);
    const log = options.log ?? { warn: (message, fields) => console.warn(message, fields ?? '') };
    const challenge = { resourceMetadataUrl, scope: challengeScopes };
    async function authenticate(req, res, next) {
        if (hasTokenOutsideHeader(req)) {
            sendBearerError(res, malformed('Send the access token in the Authorization header only, not in the URL or body'), challenge);
            return;
        }
        const headerCount = countAuthorizationHeaders(req);
        if (headerCount === 0) {
            sendAuthenticationRequired(res, challenge);
            return;
        }
        if (headerCount > 1) {
            sendBearerError(res, malformed('Send exactly one Authorization header'), challenge);
            return;
        }
        const header = (req.headers.authorization ?? '').trim();
        const match = /^(\S+)(?:\s+([\s\S]*))?$/.exec(header);
        if (!match || match[1].toLowerCase() !== 'bearer') {
            sendAuthenticationRequired(res, challenge);
            return;
        }
        const token = (match[2] ?? '').trim();
        if (!TOKEN68.test(token)) {
            const description = token === '' ? 'The Authorization header has no bearer token' : 'The Authorization header must carry exactly one bearer token';
            sendBearerError(res, malformed(description), challenge);
            return;
        }
        let identity;
        try {
            identity = await verifier.verify(token);
        }
        catch (error) {
            if (error instanceof OAuthError) {
                log.debug?.('access token rejected', { code: error.code, description: error.description, detail: error.detail });
                sendBearerError(res, error, challenge);
                return;
            }
            log.warn('token verifier failed unexpectedly; answering invalid_token', {
                error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
            });
            sendBearerError(res, new OAuthError('invalid_token', 'The access token could not be verified'), challenge);
            return;
        }
        res.locals.identity = identity;
        next();
    }
    return (req, res, next) => {
        authenticate(req, res, next).catch(next);
    };
}
/** The identity the bearer middleware stored; throws when the middleware did not run (a wiring bug). */
export function identityOf(res) {
    const identity = res.locals.identity;
    if (!identity)
        throw new Error('No identity on this response: is the bearer middleware mounted before this handler?');
    return identity;
}
function malformed(description) {
    return new OAuthError('invalid_request', description);
}
function countAuthorizationHeaders(req) {
    // Node keeps only the first of repeated Authorization headers in req.headers; rawHeaders has them all.
    let count = 0;
    for (let i = 0; i < req.rawHeaders.length; i += 2) {
        if (req.rawHeaders[i].toLowerCase() === 'authorization')
            count += 1;
    }
    return count;
}
function hasTokenOutsideHeader(req) {
    const url = req.originalUrl ?? req.url;
    const q = url.indexOf('?');
    if (q >= 0 && new URLSearchParams(url.slice(q + 1)).has('access_token'))
        return true;
    // A form body can only be inspected once a body parser ran; an unparsed body is left to the endpoint.
    const body = req.body;
    return (typeof body === 'object' &&
        body !== null &&
        Object.hasOwn(body, 'access_token') &&
        req.is('application/x-www-form-urlencoded') === 'application/x-www-form-urlencoded');
}
//# sourceMappingURL=bearer-middleware.js.map