import * as oidc from 'openid-client';
import { describeNetworkError, isNetworkError } from '../http/network-error.js';
import { ClientError, type ClientErrorCode } from './client-error.js';

/**
 * Turns what openid-client throws into a ClientError: an OAuth error answer keeps its code and
 * description (`invalid_grant: …`), a network failure becomes `unreachable`, anything else `fallback`.
 */
export function oauthFailure(error: unknown, what: string, fallback: ClientErrorCode): ClientError {
  if (error instanceof ClientError) return error;
  const answer = oauthAnswer(error);
  if (answer) {
    const description = answer.description ? `: ${answer.description}` : '';
    return new ClientError(fallback, `${what} failed: ${answer.error}${description}`, { cause: error });
  }
  const cause = (error as { cause?: unknown } | undefined)?.cause;
  if (isNetworkError(error) || isNetworkError(cause) || (error as { code?: string })?.code === 'OAUTH_TIMEOUT') {
    return new ClientError('unreachable', `${what} failed: cannot reach the authorization server (${describeNetworkError(isNetworkError(cause) ? cause : error)}).`, { cause: error });
  }
  // openid-client's messages are generic ("invalid response encountered"); the check that failed is in its cause.
  const status = typeof (cause as { status?: unknown } | undefined)?.status === 'number' ? (cause as { status: number }).status : undefined;
  const detail =
    cause instanceof Error && cause.message && cause.message !== (error as Error).message ? ` (${cause.message})` : status !== undefined ? ` (HTTP ${status})` : '';
  return new ClientError(fallback, `${what} failed: ${error instanceof Error ? error.message : String(error)}${detail}`, { cause: error });
}

/** The OAuth `error` code of an openid-client failure, if it was an OAuth error answer. */
export function oauthErrorCode(error: unknown): string | undefined {
  return oauthAnswer(error)?.error;
}

/**
 * The error code and description of an OAuth error answer: in the body, or — when the server also sends
 * `WWW-Authenticate` with it, as Logto (oidc-provider) does on a 401 `invalid_client` — in that challenge,
 * which openid-client reports as a WWWAuthenticateChallengeError without reading the body.
 */
function oauthAnswer(error: unknown): { error: string; description?: string | undefined } | undefined {
  if (error instanceof oidc.ResponseBodyError || error instanceof oidc.AuthorizationResponseError) return { error: error.error, description: error.error_description };
  if (error instanceof oidc.WWWAuthenticateChallengeError) {
    const parameters = error.cause.find((challenge) => challenge.parameters.error)?.parameters;
    if (parameters?.error) return { error: parameters.error, description: parameters.error_description };
  }
  return undefined;
}
