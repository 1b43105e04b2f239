/** The MCP endpoint used when neither a flag, the environment nor the config file names one. */
export const DEFAULT_SERVER_URL = 'http://localhost:3001/mcp';
/** How long a login waits for the user by default, in seconds. */
export const DEFAULT_LOGIN_TIMEOUT_SECONDS = 300;
//# sourceMappingURL=client-defaults.js.map