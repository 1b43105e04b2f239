import { ClientError } from '../client/client-error.js';
import { isTodoMcpError } from '../errors/todo-mcp-error.js';

/** Client library errors with the command that gets the user going again, where there is one; the code (and so the exit code) stays. */
export function withLoginHint(error: unknown, serverUrl: string): unknown {
  if (!isTodoMcpError(error)) return error;
  if (error.code === 'not_logged_in') return new ClientError(error.code, `${error.message}\nLog in with: todo-mcp login ${serverUrl}`, { cause: error });
  if (error.code === 'session_expired') return new ClientError(error.code, `${error.message}\nLog in again with: todo-mcp login ${serverUrl}`, { cause: error });
  return error;
}
