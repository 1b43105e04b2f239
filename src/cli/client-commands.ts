import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { DEFAULT_LOGIN_TIMEOUT_SECONDS, DEFAULT_SERVER_URL } from './client-defaults.js';

/** How `main` runs a lazily imported command with its options. */
export type RunCommand = (load: () => Promise<(opts: never, ctx: CliContext) => Promise<number | void>>, opts: unknown) => Promise<void>;

const SERVER_HELP = `MCP endpoint [env TODO_MCP_SERVER] (default: config "server", else ${DEFAULT_SERVER_URL})`;

function serverOptions(command: Command): Command {
  return command
    .option('--server <url>', SERVER_HELP)
    .option('--config <file>', 'config file [env TODO_MCP_CONFIG] (default: ./todo-mcp.config.json when present)');
}

function loginOptions(command: Command): Command {
  return command
    .option('--client-id <id>', 'pre-registered OAuth client id [env TODO_MCP_CLIENT_ID; secret, if any: env TODO_MCP_CLIENT_SECRET] (default: config "clientId", else a Client ID Metadata Document or dynamic registration)')
    .option('--client-metadata-url <url>', 'URL of a Client ID Metadata Document for this CLI, used when the server supports them [env TODO_MCP_CLIENT_METADATA_URL]')
    .option('--audience <value>', 'audience parameter sent beside resource, for providers that use one [env TODO_MCP_AUDIENCE] (default: config "audience", else none)')
    .option('--scope <scopes>', 'scopes to request, space- or comma-separated [env TODO_MCP_SCOPE] (default: what the server asks for, plus offline_access when offered)')
    .option('--redirect-port <port>', 'fixed port of the 127.0.0.1 redirect listener [env TODO_MCP_REDIRECT_PORT] (default: random)')
    .option('--no-browser', 'print the login URL instead of opening a browser (default: $BROWSER when set, else the system opener)')
    .option('--device', 'log in with the device authorization grant (a code to enter on another device)')
    .option('--timeout <seconds>', `how long to wait for the login [env TODO_MCP_LOGIN_TIMEOUT] (default: ${DEFAULT_LOGIN_TIMEOUT_SECONDS})`);
}

/**
 * The MCP client commands. Tokens live in `$TODO_MCP_HOME/tokens.json` (default
 * `$XDG_CONFIG_HOME/todo-mcp`, else `~/.config/todo-mcp`). Exit codes: `EXIT` in cli-error.ts.
 */
export function registerClientCommands(program: Command, run: RunCommand): void {
  loginOptions(
    serverOptions(
      program
        .command('login')
        .description('Log in to an MCP server (OAuth 2.1 authorization code + PKCE in a browser, or --device) and store the tokens.')
        .argument('[server-url]', `MCP endpoint (same as --server; default ${DEFAULT_SERVER_URL})`),
    ),
  )
    .option('--json', 'print the result as JSON')
    .option('--switch-user', 'show the sign-in form even if the browser is signed in already (prompt=login), to log in as someone else')
    .action((serverArg: string | undefined, opts) => run(async () => (await import('./login.js')).loginCommand as never, { ...opts, serverArg }));

  loginOptions(
    serverOptions(
      program
        .command('call')
        .description('Call a tool: todo-mcp call create-todo content="Buy milk". Logs in first when needed.')
        .argument('<tool>', 'tool name (see `todo-mcp tools`)')
        .argument('[args...]', 'key=value arguments, typed by the tool\'s input schema; a final http(s) URL is taken as the server'),
    ),
  )
    .option('--args <json>', 'arguments as a JSON object (key=value words override its keys)')
    .option('--json', 'print the raw tool result as JSON (for scripts)')
    .option('--no-login', 'fail (exit 3) instead of logging in when there is no usable token')
    .action((tool: string, words: string[], opts) => run(async () => (await import('./call.js')).callCommand as never, { ...opts, tool, words }));

  loginOptions(
    serverOptions(
      program
        .command('tools')
        .description("List the server's tools with their descriptions and input schemas.")
        .argument('[server-url]', 'MCP endpoint (same as --server)'),
    ),
  )
    .option('--json', 'print the tools as JSON')
    .option('--no-login', 'fail (exit 3) instead of logging in when there is no usable token')
    .action((serverArg: string | undefined, opts) => run(async () => (await import('./tools.js')).toolsCommand as never, { ...opts, serverArg }));

  serverOptions(
    program
      .command('whoami')
      .description('Show the stored login for a server: subject, scopes, issuer, resource, expiry (never the token).')
      .argument('[server-url]', 'MCP endpoint (same as --server)'),
  )
    .option('--json', 'print as JSON')
    .action((serverArg: string | undefined, opts) => run(async () => (await import('./whoami.js')).whoamiCommand as never, { ...opts, serverArg }));

  serverOptions(
    program
      .command('token')
      .description('Print the access token (refreshed when expired), e.g. for curl -H "Authorization: Bearer $(todo-mcp token)".')
      .argument('[server-url]', 'MCP endpoint (same as --server)'),
  ).action((serverArg: string | undefined, opts) => run(async () => (await import('./token.js')).tokenCommand as never, { ...opts, serverArg }));

  serverOptions(
    program
      .command('logout')
      .description('Revoke the tokens (where the authorization server supports it) and delete them.')
      .argument('[server-url]', 'MCP endpoint (same as --server)'),
  ).action((serverArg: string | undefined, opts) => run(async () => (await import('./logout.js')).logoutCommand as never, { ...opts, serverArg }));
}
