/** Why the development authorization server cannot start from its data directory; `serve` and `auth-server` exit 6. */
export class DevAuthError extends Error {
  /** DEV_AUTH_LOCKED: another server uses the directory; DEV_AUTH_CORRUPT: a state file cannot be used; DEV_AUTH_UNWRITABLE: the directory or its lock cannot be written. */
  readonly code: 'DEV_AUTH_LOCKED' | 'DEV_AUTH_CORRUPT' | 'DEV_AUTH_UNWRITABLE';
  constructor(code: DevAuthError['code'], message: string, options: { cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'DevAuthError';
    this.code = code;
  }
}
