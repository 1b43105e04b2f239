import { buildWwwAuthenticate } from './www-authenticate.js';
/**
 * Answer with an RFC 6750 error: the error's status (400/401/403), the challenge, and a JSON body
 * `{ error, error_description }`. `Cache-Control: no-store` because the answer depends on the credentials.
 */
export function sendBearerError(res, error, challenge) {
    res
        .status(error.status)
        .set('WWW-Authenticate', buildWwwAuthenticate({ ...challenge, error }))
        .set('Cache-Control', 'no-store')
        .json({ error: error.code, error_description: error.description });
}
/**
 * Answer a request that carried no usable credentials: 401 with a challenge that has no `error`
 * (RFC 6750 §3.1), so clients start authorization instead of reporting a failure.
 */
export function sendAuthenticationRequired(res, challenge) {
    res
        .status(401)
        .set('WWW-Authenticate', buildWwwAuthenticate(challenge))
        .set('Cache-Control', 'no-store')
        .json({ error_description: 'This resource requires an OAuth access token in the Authorization header (Bearer scheme)' });
}
//# sourceMappingURL=send-bearer-error.js.map