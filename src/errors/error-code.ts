import type { BearerErrorCode } from '../auth/oauth-error.js';
import type { CliErrorCode } from '../cli/cli-error.js';
import type { ClientErrorCode } from '../client/client-error.js';
import type { ConfigErrorCode } from '../config/config-file.js';
import type { DevAuthErrorCode } from '../dev-auth/dev-auth-error.js';
import type { FileLockErrorCode } from '../fs/file-lock.js';
import type { LogtoErrorCode } from '../logto/logto-error.js';
import type { InterruptedErrorCode } from './interrupted.js';
import type { ToolFailureCode } from '../server/todo-tools.js';
import type { StoreErrorCode } from '../store/todo-repository.js';

/**
 * Every code a todo-mcp error can carry: each layer names its own (beside its error class), and this union
 * gathers them, so `TodoMcpError` accepts no other and the CLI's exit-code table (`EXIT_FOR_CODE` in
 * src/cli/cli-error.ts) must place each one. Codes are lower snake case and stable: tests and callers
 * branch on them. A literal shared by two layers means the same thing in both.
 */
export type ErrorCode =
  | BearerErrorCode
  | 'jwks_unavailable'
  | 'authorization_server_discovery_failed'
  | ConfigErrorCode
  | FileLockErrorCode
  | StoreErrorCode
  | DevAuthErrorCode
  | 'document_shape_invalid'
  | ToolFailureCode
  | ClientErrorCode
  | 'http_error'
  | LogtoErrorCode
  | CliErrorCode
  | InterruptedErrorCode;
