import { Option, type Command, type OptionValues } from '@commander-js/extra-typings';
import { DEFAULT_SERVER_URL, DEFAULTS } from '../config/defaults.js';
import type { CommandRunner } from './command-runner.js';
import { fixedPort, httpUrl, nonEmpty, positiveSeconds, repeatable } from './option-parsers.js';
import { configOption } from './server-commands.js';

/** Splits `call` words into key=value pairs and a trailing server URL (as the conformance suite appends one). */
export function splitCallWords(words: readonly string[]): { pairs: string[]; serverUrl?: string } {
  const last = words.at(-1);
  if (last !== undefined && /^https?:\/\//i.test(last)) return { pairs: words.slice(0, -1), serverUrl: last };
  return { pairs: [...words] };
}

/**
 * The MCP client commands, and `doctor`. Tokens live in `$TODO_MCP_HOME/tokens.json` (default
 * `$XDG_CONFIG_HOME/todo-mcp`, else `~/.config/todo-mcp`). Exit codes: `EXIT` in cli-error.ts.
 */
export function registerClientCommands(program: Command, runner: CommandRunner): void {
  const { configured, run } = runner;

  // Each command gets its own Option objects: the runner knows configured options by identity.
  function withServer<A extends unknown[], O extends OptionValues>(command: Command<A, O>) {
    return command.addOption(configured('server', new Option('--server <url>', 'MCP endpoint').env('TODO_MCP_SERVER').default(DEFAULT_SERVER_URL).argParser(httpUrl))).addOption(configOption());
  }

  function withLogin<A extends unknown[], O extends OptionValues>(command: Command<A, O>) {
    return withServer(command)
      .addOption(
        configured(
          'clientId',
          new Option('--client-id <id>', 'pre-registered OAuth client id; its secret, if any, only from env TODO_MCP_CLIENT_SECRET')
            .env('TODO_MCP_CLIENT_ID')
            .default(undefined, 'a Client ID Metadata Document, else dynamic registration')
            .argParser(nonEmpty),
        ),
      )
      .addOption(new Option('--client-metadata-url <url>', 'URL of a Client ID Metadata Document for this CLI, used when the server supports them').env('TODO_MCP_CLIENT_METADATA_URL').argParser(httpUrl))
      .addOption(configured('audience', new Option('--audience <value>', 'audience parameter sent beside resource, for providers that use one').env('TODO_MCP_AUDIENCE').default(undefined, 'none').argParser(nonEmpty)))
      .addOption(new Option('--scope <scopes>', 'scopes to request, space- or comma-separated').env('TODO_MCP_SCOPE').default(undefined, 'what the server asks for, plus offline_access when offered'))
      .addOption(new Option('--redirect-port <port>', 'fixed port of the 127.0.0.1 redirect listener').env('TODO_MCP_REDIRECT_PORT').default(undefined, 'random').argParser(fixedPort))
      .addOption(new Option('--no-browser', 'print the login URL instead of opening a browser ($BROWSER when set, else the system opener)'))
      .addOption(new Option('--device', 'log in with the device authorization grant (a code to enter on another device)'));
  }

  /** `call` and `tools`: --timeout bounds each MCP request; the wait of a login they start is --login-timeout. */
  function withRequests<A extends unknown[], O extends OptionValues>(command: Command<A, O>) {
    return withLogin(command)
      .addOption(new Option('--login-timeout <seconds>', 'how long a login, when one is needed, waits for the user').env('TODO_MCP_LOGIN_TIMEOUT').default(DEFAULTS.loginTimeoutSeconds).argParser(positiveSeconds))
      .addOption(new Option('--timeout <seconds>', 'longest wait for each MCP request, streamed progress included; then it is cancelled').default(DEFAULTS.requestTimeoutSeconds).argParser(positiveSeconds));
  }

  withLogin(
    program
      .command('login')
      .description('Log in to an MCP server (OAuth 2.1 authorization code + PKCE in a browser, or --device) and store the tokens.')
      .argument('[server-url]', 'MCP endpoint (same as --server)'),
  )
    .addOption(new Option('--timeout <seconds>', 'how long to wait for the login').env('TODO_MCP_LOGIN_TIMEOUT').default(DEFAULTS.loginTimeoutSeconds).argParser(positiveSeconds))
    .option('--json', 'print the result as JSON')
    .option('--switch-user', 'show the sign-in form even if the browser is signed in already (prompt=login), to log in as someone else')
    // The login's only wait is its --timeout; the flows call it loginTimeout, as `call --login-timeout` does.
    .action((serverArgument, options, command) => run(command, async () => (await import('./login.js')).loginCommand, { serverArgument, args: { loginTimeout: options.timeout } }));

  withRequests(
    program
      .command('call')
      .description('Call a tool: todo-mcp call create-todo content="Buy milk". Logs in first when needed.')
      .argument('<tool>', 'tool name (see `todo-mcp tools`)')
      .argument('[args...]', "key=value arguments, typed by the tool's input schema; a final http(s) URL is taken as the server"),
  )
    .option('--args <json>', 'arguments as a JSON object (key=value words override its keys)')
    .option('--json', 'print the raw tool result as JSON (for scripts)')
    .option('--no-login', 'fail (exit 3) instead of logging in when there is no usable token')
    .option('--all', 'for a paged tool (get-todos): follow nextCursor through every page (at most 1000, each as large as the tool allows) and show them together (default: one page and a "more:" hint)')
    .action((tool, words, _options, command) => {
      const { pairs, serverUrl } = splitCallWords(words);
      return run(command, async () => (await import('./call.js')).callCommand, { serverArgument: serverUrl, args: { tool, pairs } });
    });

  withRequests(
    program
      .command('tools')
      .description("List the server's tools with their descriptions and input schemas.")
      .argument('[server-url]', 'MCP endpoint (same as --server)'),
  )
    .option('--json', 'print the tools as JSON')
    .option('--no-login', 'fail (exit 3) instead of logging in when there is no usable token')
    .action((serverArgument, _options, command) => run(command, async () => (await import('./tools.js')).toolsCommand, { serverArgument }));

  withLogin(
    program
      .command('connect')
      .alias('bridge')
      .description('Serve MCP on stdin/stdout for any MCP host (editor, agent, Inspector), forwarding to the server with your login.')
      .argument('[server-url]', 'MCP endpoint (same as --server)'),
  )
    .addOption(
      new Option('--header <"Name: value">', 'extra HTTP header for the server, repeatable; ${VAR} in the value is read from the environment, so secrets stay off the command line (not Authorization: that is your login)')
        .default(undefined, 'none')
        .argParser(repeatable),
    )
    .addOption(new Option('--timeout <seconds>', 'how long a login, when one is needed, waits for the user').env('TODO_MCP_LOGIN_TIMEOUT').default(DEFAULTS.loginTimeoutSeconds).argParser(positiveSeconds))
    .option('--no-login', 'answer requests with a "not logged in" error instead of logging in')
    // As for login: its --timeout is the login's wait (the host's requests have their own deadlines).
    .action((serverArgument, options, command) => run(command, async () => (await import('./connect.js')).connectCommand, { serverArgument, args: { loginTimeout: options.timeout } }));

  withServer(
    program
      .command('whoami')
      .description('Show the stored login for a server: subject, scopes, issuer, resource, expiry (never the token).')
      .argument('[server-url]', 'MCP endpoint (same as --server)'),
  )
    .option('--json', 'print as JSON')
    .action((serverArgument, _options, command) => run(command, async () => (await import('./whoami.js')).whoamiCommand, { serverArgument }));

  withServer(
    program
      .command('token')
      .description('Print the access token (refreshed when expired), e.g. for curl -H "Authorization: Bearer $(todo-mcp token)".')
      .argument('[server-url]', 'MCP endpoint (same as --server)'),
  ).action((serverArgument, _options, command) => run(command, async () => (await import('./token.js')).tokenCommand, { serverArgument }));

  withServer(
    program
      .command('logout')
      .description('Revoke the refresh token (where the authorization server supports it), delete the tokens, and say what stays valid until when.')
      .argument('[server-url]', 'MCP endpoint (same as --server)'),
  ).action((serverArgument, _options, command) => run(command, async () => (await import('./logout.js')).logoutCommand, { serverArgument }));

  withServer(
    program
      .command('doctor')
      .description('Check the server, its metadata, the authorization server, keys and your cached token; say what to fix.')
      .argument('[server-url]', 'MCP endpoint (same as --server)'),
  )
    .addOption(configured('resource', new Option('--resource <url>', 'the resource identifier you configured, compared with the one the server publishes').env('TODO_MCP_RESOURCE').default(undefined, 'not compared').argParser(httpUrl)))
    // For the optional Logto check (LOGTO_M2M_ID and LOGTO_M2M_SECRET set): which tenant, and the CLI's app.
    .addOption(configured('issuer', new Option('--issuer <url>', 'with LOGTO_M2M_* set: the Logto issuer whose tenant is compared with what `logto setup` creates').env('TODO_MCP_ISSUER').default(undefined, 'LOGTO_ENDPOINT').argParser(httpUrl)))
    // The client id login would use: the login-client check needs one (or CIMD, or DCR); the Logto check compares it with the tenant's CLI app.
    .addOption(configured('clientId', new Option('--client-id <id>', 'the pre-registered client id login would use (with LOGTO_M2M_* set, also compared with the tenant\'s CLI app)').env('TODO_MCP_CLIENT_ID').default(undefined, 'none').argParser(nonEmpty)))
    .addOption(new Option('--client-metadata-url <url>', 'the Client ID Metadata Document login would use').env('TODO_MCP_CLIENT_METADATA_URL').argParser(httpUrl))
    .option('--json', 'print the report as JSON')
    .addOption(new Option('--timeout <seconds>', 'timeout per request').default(DEFAULTS.doctorTimeoutSeconds).argParser(positiveSeconds))
    .action((serverArgument, _options, command) => run(command, async () => (await import('./doctor.js')).doctorCommand, { serverArgument }));
}
