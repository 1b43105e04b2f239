/**
 * Every default of todo-mcp in one place (node-oidc-provider keeps its defaults in one file too): the CLI
 * declares its options with these, the libraries fall back to them, and a test holds the README's tables
 * equal to them.
 */
export const DEFAULTS = {
  /** Port of the MCP server (`serve --port`). */
  port: 3001,
  /** Interface `serve` binds: loopback, so nothing is exposed until asked for. */
  host: '127.0.0.1',
  /** Port of the embedded development authorization server (`--auth-port`). */
  authPort: 3002,
  /** The todos JSON file, relative to the working directory (`--data`). */
  dataFile: './.todo-mcp/todos.json',
  /** Most connections one `serve` keeps to PostgreSQL (`--pg-pool`); replicas × this must stay below the server's max_connections. */
  pgPoolSize: 10,
  /** The largest `--pg-pool` accepted. */
  pgPoolSizeMax: 1_000,
  /** The config file `init` writes and every command reads from the working directory when it exists (`--config`). */
  configFile: 'todo-mcp.config.json',
  /** How long a login waits for the user, in seconds (`login --timeout`, `call`/`tools --login-timeout`). */
  loginTimeoutSeconds: 300,
  /** How long one MCP request of `call` and `tools` may take end to end, in seconds (`call`/`tools --timeout`). */
  requestTimeoutSeconds: 60,
  /** How long `doctor` waits for each request, in seconds (`doctor --timeout`). */
  doctorTimeoutSeconds: 5,
  /** How long `logto setup` waits for each Management API request, in seconds (`logto setup --timeout`). */
  logtoTimeoutSeconds: 15,
} as const;

/** The resource identifier a server on `port` publishes when none is configured: the tutorial's `http://localhost:<port>`. */
export function defaultResource(port: number | '<port>'): string {
  return `http://localhost:${port}`;
}

/** The MCP endpoint of a server on `port` with the default resource: `http://localhost:<port>/mcp`. */
export function defaultServerUrl(port: number | '<port>'): string {
  return `${defaultResource(port)}/mcp`;
}

/** The MCP endpoint the client commands talk to when nothing names one: `http://localhost:3001/mcp`. */
export const DEFAULT_SERVER_URL = defaultServerUrl(DEFAULTS.port);
