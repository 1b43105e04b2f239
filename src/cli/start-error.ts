import { isTodoMcpError } from '../errors/todo-mcp-error.js';
import { CliError } from './cli-error.js';

/**
 * What `serve` and `auth-server` say when they cannot start. Errors of ours keep their code (and so their
 * exit code); this adds what to do where the lower layer cannot know it, and names a port that cannot be bound.
 */
export function translateStartError(error: unknown): unknown {
  if (isTodoMcpError(error) && error.code === 'authorization_server_discovery_failed') {
    return new CliError('unreachable', `Cannot reach the authorization server. ${error.message}\nCheck --issuer (or TODO_MCP_ISSUER).`, { cause: error });
  }
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
    const { address, port } = error as NodeJS.ErrnoException & { address?: string; port?: number };
    return new CliError('port_unavailable', `Cannot listen on ${address ?? ''}:${port ?? ''} (${code}). Choose another --port / --auth-port or stop the other process.`, { cause: error });
  }
  return error;
}
