import * as oidc from 'openid-client';
import type { TokenResponse } from './authorize.js';
import { interruption, rejectWhenAborted } from '../errors/interrupted.js';
import { ClientError } from './client-error.js';
import { oauthErrorCode, oauthFailure } from './oauth-failure.js';
import { OFFLINE_ACCESS } from './select-scopes.js';

/** What the user must do on another device. */
export interface DevicePrompt {
  readonly verificationUri: string;
  /** The verification URI with the code filled in, when the server provides one. */
  readonly verificationUriComplete?: string;
  readonly userCode: string;
  /** Seconds until the code expires. */
  readonly expiresIn: number;
}

export interface DeviceAuthorizationOptions {
  readonly config: oidc.Configuration;
  readonly scopes: readonly string[];
  /** Resource indicator (RFC 8707), sent on the device authorization and the token requests. */
  readonly resource: string;
  /** `audience` parameter for providers that use one. Default: none. */
  readonly audience?: string;
  /** Shows the code and the URL to the user. */
  readonly prompt: (prompt: DevicePrompt) => Promise<void> | void;
  /** Longest wait for the user, in milliseconds (the server's code lifetime may end it sooner). */
  readonly timeoutMs: number;
  /** Aborting it ends the polling at once, rejecting with its reason (named after this wait). Default: none. */
  readonly signal?: AbortSignal;
}

const WAIT = 'waiting for the login on the other device';

/** The device authorization grant (RFC 8628), for terminals without a browser. */
export async function authorizeWithDevice(options: DeviceAuthorizationOptions): Promise<TokenResponse> {
  const { config, resource, audience } = options;
  const target: Record<string, string> = audience ? { resource, audience } : { resource };
  const metadata = config.serverMetadata();
  if (typeof metadata.device_authorization_endpoint !== 'string') {
    throw new ClientError('unsupported_server', `The authorization server ${metadata.issuer} does not offer the device authorization grant; log in without --device.`);
  }
  const params: Record<string, string> = { ...target };
  if (options.scopes.length > 0) params.scope = options.scopes.join(' ');
  // Same reason as in the browser flow: without it OpenID Connect servers drop offline_access.
  if (options.scopes.includes(OFFLINE_ACCESS)) params.prompt = 'consent';
  let response: oidc.DeviceAuthorizationResponse;
  try {
    response = await oidc.initiateDeviceAuthorization(config, params);
  } catch (error) {
    throw oauthFailure(error, 'Starting the device login', 'login_failed');
  }
  await options.prompt({
    verificationUri: response.verification_uri,
    ...(response.verification_uri_complete ? { verificationUriComplete: response.verification_uri_complete } : {}),
    userCode: response.user_code,
    expiresIn: response.expires_in,
  });
  const { signal } = options;
  const polling = oidc.pollDeviceAuthorizationGrant(config, response, target, {
    signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(options.timeoutMs)]) : AbortSignal.timeout(options.timeoutMs),
  });
  try {
    // openid-client looks at its signal only every 5 s between polls: racing it makes Ctrl-C end the wait now.
    return await (signal ? Promise.race([polling, rejectWhenAborted(signal, WAIT)]) : polling);
  } catch (error) {
    if (signal?.aborted) throw interruption(signal, WAIT);
    const code = oauthErrorCode(error);
    const causeName = (error as { cause?: { name?: string } }).cause?.name;
    if (code === 'expired_token' || causeName === 'TimeoutError' || (error as { code?: string }).code === 'OAUTH_TIMEOUT') {
      throw new ClientError('login_timeout', 'The device code expired before the login was completed.', { cause: error });
    }
    if (code === 'access_denied') throw new ClientError('login_failed', 'The login was denied on the other device.', { cause: error });
    throw oauthFailure(error, 'The device login', 'login_failed');
  }
}
