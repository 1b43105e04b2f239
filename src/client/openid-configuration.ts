import * as oidc from 'openid-client';
import { abortableFetch } from '../http/abortable-fetch.js';
import { isLoopbackUrl } from '../net/loopback.js';
import { ClientError } from './client-error.js';
import type { ClientRegistration } from './register-client.js';

/** application/x-www-form-urlencoded, as RFC 6749 §2.3.1 asks for the Basic credentials (`-` `.` `_` `*` stay as they are). */
const formEncode = (value: string) => new URLSearchParams({ v: value }).toString().slice(2);

/**
 * client_secret_basic. openid-client's own version also percent-encodes `-`, `_`, `.`, `!`, `~`, `*`, `'`, `(`
 * and `)`; servers that do not decode the credentials (the MCP conformance suite's, some in the wild) then
 * see a different client id. Form encoding leaves those characters alone, and both forms decode the same.
 */
function clientSecretBasic(secret: string): oidc.ClientAuth {
  return (_as, client, _body, headers) => {
    headers.set('authorization', `Basic ${Buffer.from(`${formEncode(client.client_id)}:${formEncode(secret)}`).toString('base64')}`);
  };
}

export interface OpenIdConfigurationOptions {
  readonly metadata: oidc.ServerMetadata;
  readonly client: ClientRegistration;
  /** Timeout of each request to the authorization server, in seconds. Default: 15. */
  readonly timeoutSeconds?: number;
  /** Aborting it cuts every request of this configuration short (Ctrl-C). Default: none. */
  readonly signal?: AbortSignal;
}

/**
 * An openid-client configuration for the discovered server and the resolved client. Plain http is
 * allowed only for a loopback issuer (the development server, tests); anything else must be https.
 */
export function openIdConfiguration(options: OpenIdConfigurationOptions): oidc.Configuration {
  const { metadata, client } = options;
  const auth =
    client.authMethod === 'client_secret_basic'
      ? clientSecretBasic(client.clientSecret ?? '')
      : client.authMethod === 'client_secret_post'
        ? oidc.ClientSecretPost(client.clientSecret)
        : oidc.None();
  const config = new oidc.Configuration(metadata, client.clientId, client.clientSecret ? { client_secret: client.clientSecret } : undefined, auth);
  config.timeout = options.timeoutSeconds ?? 15;
  // openid-client gives each request its own timeout signal and no way to add ours, except its fetch hook.
  if (options.signal) config[oidc.customFetch] = abortableFetch(fetch, options.signal);
  if (new URL(metadata.issuer).protocol === 'http:') {
    if (!isLoopbackUrl(metadata.issuer)) {
      throw new ClientError('unsupported_server', `The authorization server ${metadata.issuer} uses plain http; only https (or a loopback address) is accepted.`);
    }
    oidc.allowInsecureRequests(config);
  }
  return config;
}
