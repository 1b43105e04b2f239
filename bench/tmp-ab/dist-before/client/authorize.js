import * as oidc from 'openid-client';
import { ClientError } from './client-error.js';
import { oauthFailure } from './oauth-failure.js';
import { OFFLINE_ACCESS } from './select-scopes.js';
/**
 * RFC 9207: when the server says it sends `iss` on the redirect, it must be there and name the issuer;
 * when it is there anyway it must still match. This is the defence against mix-up attacks, checked here
 * (with a clear message) before openid-client checks it again.
 */
export function checkAuthorizationResponseIssuer(callback, metadata) {
    const iss = callback.searchParams.get('iss');
    if (iss === null) {
        if (metadata.authorization_response_iss_parameter_supported === true) {
            throw new ClientError('issuer_mismatch', `The authorization server ${metadata.issuer} promises an "iss" parameter on its redirect, but the redirect had none; the login was abandoned.`);
        }
        return;
    }
    if (iss !== metadata.issuer) {
        throw new ClientError('issuer_mismatch', `The redirect came from issuer ${JSON.stringify(iss)}, not ${JSON.stringify(metadata.issuer)}; the login was abandoned.`);
    }
}
/**
 * The authorization code flow with PKCE (S256) and `state`, redirecting to a loopback listener.
 * `prompt=consent` goes with `offline_access`, since OpenID Connect servers (oidc-provider, Logto)
 * otherwise drop that scope and issue no refresh token.
 */
export async function authorizeInBrowser(options) {
    const { config, listener, state, scopes, resource, audience } = options;
    const target = audience ? { resource, audience } : { resource };
    const verifier = oidc.randomPKCECodeVerifier();
    const params = {
        redirect_uri: listener.redirectUri,
        response_type: 'code',
        state,
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        ...target,
    };
    if (scopes.length > 0)
        params.scope = scopes.join(' ');
    if (scopes.includes(OFFLINE_ACCESS))
        params.prompt = 'consent';
    const url = oidc.buildAuthorizationUrl(config, params);
    await options.openUrl(url.href);
    const callback = await listener.wait(options.timeoutMs);
    checkAuthorizationResponseIssuer(callback, config.serverMetadata());
    try {
        return await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state }, target);
    }
    catch (error) {
        throw oauthFailure(error, 'Exchanging the authorization code', 'login_failed');
    }
}
//# sourceMappingURL=authorize.js.map