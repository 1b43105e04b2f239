import { ClientError } from '../client/client-error.js';
import { CliError, EXIT } from './cli-error.js';
const EXIT_FOR = {
    not_logged_in: EXIT.notAuthenticated,
    session_expired: EXIT.notAuthenticated,
    login_failed: EXIT.notAuthenticated,
    login_timeout: EXIT.notAuthenticated,
    state_mismatch: EXIT.notAuthenticated,
    issuer_mismatch: EXIT.notAuthenticated,
    discovery_failed: EXIT.notAuthenticated,
    resource_mismatch: EXIT.notAuthenticated,
    unsupported_server: EXIT.notAuthenticated,
    registration_required: EXIT.notAuthenticated,
    insufficient_scope: EXIT.forbidden,
    unreachable: EXIT.unreachable,
    server_error: EXIT.unreachable,
    protocol_error: EXIT.usage,
    store_error: EXIT.usage,
};
/** Client library errors as CLI errors, with the command that gets the user going again where there is one. */
export function toCliError(error, serverUrl) {
    if (!(error instanceof ClientError))
        return error;
    let message = error.message;
    if (error.code === 'not_logged_in')
        message += `\nLog in with: todo-mcp login ${serverUrl}`;
    if (error.code === 'session_expired')
        message += `\nLog in again with: todo-mcp login ${serverUrl}`;
    return new CliError(message, EXIT_FOR[error.code], { cause: error });
}
//# sourceMappingURL=client-errors.js.map