import { errors } from 'jose';
import { TodoMcpError, type TodoMcpErrorOptions } from '../errors/todo-mcp-error.js';
import { OAuthError } from './oauth-error.js';

/** The issuer's key set could not be fetched (network error, timeout, non-200, bad JSON, cool-down). */
export class KeySetUnavailableError extends TodoMcpError<'jwks_unavailable'> {
  override readonly name = 'KeySetUnavailableError';
  constructor(message: string, options: TodoMcpErrorOptions = {}) {
    super('jwks_unavailable', message, options);
  }
}

const BY_CODE: Readonly<Record<string, string>> = {
  ERR_JWT_EXPIRED: 'The access token expired',
  ERR_JWS_SIGNATURE_VERIFICATION_FAILED: 'The access token signature is invalid',
  ERR_JOSE_ALG_NOT_ALLOWED: 'The access token is signed with an algorithm this resource does not accept',
  ERR_JOSE_NOT_SUPPORTED: 'The access token is signed with an algorithm this resource does not accept',
  ERR_JWKS_NO_MATCHING_KEY: 'The access token is signed with a key the issuer does not publish',
  ERR_JWKS_MULTIPLE_MATCHING_KEYS: 'The access token is signed with a key the issuer does not publish',
  ERR_JWS_INVALID: 'The access token is malformed',
  ERR_JWT_INVALID: 'The access token is malformed',
};

const BY_CLAIM: Readonly<Record<string, string>> = {
  iss: 'The access token was not issued by the trusted issuer',
  aud: 'The access token is not for this resource',
  nbf: 'The access token is not valid yet',
  exp: 'The access token expired',
};

/**
 * Turn anything thrown while verifying into a 401 `invalid_token`. The description is chosen from a
 * fixed list (it is public and must never echo token contents); jose's code and message go to `detail`.
 */
export function toInvalidTokenError(error: unknown): OAuthError {
  if (error instanceof OAuthError) return error;
  const detail = describe(error);
  if (error instanceof KeySetUnavailableError) {
    return new OAuthError('invalid_token', "The issuer's signing keys could not be retrieved; try again later", { detail, cause: error });
  }
  // jose 6's JWTExpired is a sibling of JWTClaimValidationFailed, not a subclass: BY_CODE words it.
  if (error instanceof errors.JWTClaimValidationFailed) {
    const description =
      error.reason === 'missing'
        ? 'The access token lacks a required claim'
        : (BY_CLAIM[error.claim] ?? 'The access token has an invalid claim');
    return new OAuthError('invalid_token', description, { detail, cause: error });
  }
  const code = error instanceof errors.JOSEError ? error.code : undefined;
  const description = (code !== undefined ? BY_CODE[code] : undefined) ?? 'The access token is invalid';
  return new OAuthError('invalid_token', description, { detail, cause: error });
}

function describe(error: unknown): string {
  if (error instanceof errors.JOSEError) return `${error.code}: ${error.message}`;
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
