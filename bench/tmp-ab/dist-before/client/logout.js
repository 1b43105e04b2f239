import * as oidc from 'openid-client';
import { oauthFailure } from './oauth-failure.js';
import { openIdConfiguration } from './openid-configuration.js';
import { findEntryForServer, forgetRegistration, removeEntry } from './token-store.js';
/**
 * Revokes the server's tokens where the authorization server supports RFC 7009 (the refresh token first:
 * revoking it ends the whole grant on most servers), then deletes the entry. The entry is deleted even
 * when revocation fails, so a logout always leaves no usable token on this machine.
 */
export async function logout(options) {
    const { store, serverUrl } = options;
    const entry = findEntryForServer(await store.read(), serverUrl);
    if (!entry)
        return {};
    let revocation = 'unsupported';
    let error;
    if (typeof entry.authorizationServer.revocation_endpoint === 'string') {
        try {
            const config = openIdConfiguration({ metadata: entry.authorizationServer, client: entry.client });
            if (entry.refreshToken)
                await oidc.tokenRevocation(config, entry.refreshToken, { token_type_hint: 'refresh_token' });
            await oidc.tokenRevocation(config, entry.accessToken, { token_type_hint: 'access_token' });
            revocation = 'revoked';
        }
        catch (failure) {
            revocation = 'failed';
            error = oauthFailure(failure, 'Revoking the tokens', 'login_failed').message;
        }
    }
    await store.update((data) => {
        removeEntry(data, entry.resource, entry.issuer);
        // Nothing about this server is kept: a later login registers afresh if it needs to.
        if (!data.entries.some((e) => e.issuer === entry.issuer))
            forgetRegistration(data, entry.issuer);
    });
    return { entry, revocation, ...(error ? { error } : {}) };
}
//# sourceMappingURL=logout.js.map