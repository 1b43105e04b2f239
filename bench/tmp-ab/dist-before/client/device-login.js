import * as oidc from 'openid-client';
import { ClientError } from './client-error.js';
import { oauthErrorCode, oauthFailure } from './oauth-failure.js';
import { OFFLINE_ACCESS } from './select-scopes.js';
/** The device authorization grant (RFC 8628), for terminals without a browser. */
export async function authorizeWithDevice(options) {
    const { config, resource, audience } = options;
    const target = audience ? { resource, audience } : { resource };
    const metadata = config.serverMetadata();
    if (typeof metadata.device_authorization_endpoint !== 'string') {
        throw new ClientError('unsupported_server', `The authorization server ${metadata.issuer} does not offer the device authorization grant; log in without --device.`);
    }
    const params = { ...target };
    if (options.scopes.length > 0)
        params.scope = options.scopes.join(' ');
    // Same reason as in the browser flow: without it OpenID Connect servers drop offline_access.
    if (options.scopes.includes(OFFLINE_ACCESS))
        params.prompt = 'consent';
    let response;
    try {
        response = await oidc.initiateDeviceAuthorization(config, params);
    }
    catch (error) {
        throw oauthFailure(error, 'Starting the device login', 'login_failed');
    }
    await options.prompt({
        verificationUri: response.verification_uri,
        ...(response.verification_uri_complete ? { verificationUriComplete: response.verification_uri_complete } : {}),
        userCode: response.user_code,
        expiresIn: response.expires_in,
    });
    try {
        return await oidc.pollDeviceAuthorizationGrant(config, response, target, { signal: AbortSignal.timeout(options.timeoutMs) });
    }
    catch (error) {
        const code = oauthErrorCode(error);
        const causeName = error.cause?.name;
        if (code === 'expired_token' || causeName === 'TimeoutError' || error.code === 'OAUTH_TIMEOUT') {
            throw new ClientError('login_timeout', 'The device code expired before the login was completed.', { cause: error });
        }
        if (code === 'access_denied')
            throw new ClientError('login_failed', 'The login was denied on the other device.', { cause: error });
        throw oauthFailure(error, 'The device login', 'login_failed');
    }
}
//# sourceMappingURL=device-login.js.map