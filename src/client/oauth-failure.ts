import * as oidc from 'openid-client';
import { describeNetworkError, isNetworkError } from '../http/network-error.js';
import { ClientError, type ClientErrorCode } from './client-error.js';

/**
 * Turns what openid-client throws into a ClientError: an OAuth error answer keeps its code and
 * description (`invalid_grant: …`), a network failure becomes `unreachable`, anything else `fallback`.
 */
export function oauthFailure(error: unknown, what: string, fallback: ClientErrorCode): ClientError {
  if (error instanceof ClientError) return error;
  if (error instanceof oidc.ResponseBodyError || error instanceof oidc.AuthorizationResponseError) {
    const description = error.error_description ? `: ${error.error_description}` : '';
    return new ClientError(fallback, `${what} failed: ${error.error}${description}`, { cause: error });
  }
  const cause = (error as { cause?: unknown } | undefined)?.cause;
  if (isNetworkError(error) || isNetworkError(cause) || (error as { code?: string })?.code === 'OAUTH_TIMEOUT') {
    return new ClientError('unreachable', `${what} failed: cannot reach the authorization server (${describeNetworkError(isNetworkError(cause) ? cause : error)}).`, { cause: error });
  }
  return new ClientError(fallback, `${what} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}

/** The OAuth `error` code of an openid-client failure, if it was an OAuth error answer. */
export function oauthErrorCode(error: unknown): string | undefined {
  if (error instanceof oidc.ResponseBodyError || error instanceof oidc.AuthorizationResponseError) return error.error;
  return undefined;
}
