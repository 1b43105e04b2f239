/** What a verified access token says about its caller: all a tool ever learns of the request. */
export interface Identity {
  /** The subject (`sub`): the todo owner id. */
  readonly sub: string;
  /** Granted scopes, from the token's space-separated `scope` claim. */
  readonly scopes: readonly string[];
  /** The OAuth client the token was issued to (`client_id`), when present. */
  readonly clientId?: string;
  /** Expiry, seconds since the epoch (`exp`). */
  readonly expiresAt: number;
}

/** Turns an access token into an identity, or throws an {@link OAuthError} with `invalid_token`. */
export interface TokenVerifier {
  verify(token: string): Promise<Identity>;
}
