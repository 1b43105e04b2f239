/**
 * Exit codes of every todo-mcp command (documented in the README). Lower layers throw their own errors;
 * commands translate them into a CliError, and `main` is the one place that exits.
 */
export const EXIT = {
    ok: 0,
    /** The tool ran and answered with an error (isError). */
    toolError: 1,
    /** Wrong flags or arguments, or an invalid configuration. */
    usage: 2,
    /** No usable token: log in (again). */
    notAuthenticated: 3,
    /** Authenticated, but the token lacks a scope the call needs. */
    forbidden: 4,
    /** A server (MCP or authorization server) could not be reached. */
    unreachable: 5,
    /** A server could not start (port in use, data file locked or corrupt). */
    startFailed: 6,
    /** A bug: please report it. */
    internal: 70,
};
/** An error whose message is fit for the user's terminal: what happened and what to do. */
export class CliError extends Error {
    exitCode;
    constructor(message, exitCode, options = {}) {
        super(message, { cause: options.cause });
        this.name = 'CliError';
        this.exitCode = exitCode;
    }
}
//# sourceMappingURL=cli-error.js.map