import { AuthorizationServerDiscoveryError } from '../auth/discover-authorization-server.js';
import { ConfigError } from '../config/config-file.js';
import { DevAuthError } from '../dev-auth/dev-auth-error.js';
import { StoreError } from '../store/todo-repository.js';
import { CliError, EXIT } from './cli-error.js';

/** What `serve` and `auth-server` say when they cannot start: a CliError with its exit code, or the error unchanged. */
export function translateStartError(error: unknown): unknown {
  if (error instanceof ConfigError) return new CliError(error.message, EXIT.usage, { cause: error });
  if (error instanceof StoreError || error instanceof DevAuthError) return new CliError(error.message, EXIT.startFailed, { cause: error });
  if (error instanceof AuthorizationServerDiscoveryError) {
    return new CliError(`Cannot reach the authorization server. ${error.message}\nCheck --issuer (or TODO_MCP_ISSUER).`, EXIT.unreachable, { cause: error });
  }
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
    const { address, port } = error as NodeJS.ErrnoException & { address?: string; port?: number };
    return new CliError(`Cannot listen on ${address ?? ''}:${port ?? ''} (${code}). Choose another --port / --auth-port or stop the other process.`, EXIT.startFailed, { cause: error });
  }
  return error;
}
