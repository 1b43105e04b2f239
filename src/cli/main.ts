import { Command, CommanderError, Option } from 'commander';
import { isTodoMcpError } from '../errors/todo-mcp-error.js';
import { EXIT, EXIT_FOR_CODE } from './cli-error.js';
import type { CliContext } from './context.js';
import { registerClientCommands } from './client-commands.js';
import { positiveSeconds } from './option-parsers.js';

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Declares the commands; each command module is imported only when it runs, to keep start-up fast. */
function buildProgram(run: (load: () => Promise<(opts: never, ctx: CliContext) => Promise<number | void>>, opts: unknown) => Promise<void>): Command {
  const program = new Command('todo-mcp')
    .description('Run, log in to and call an OAuth-protected MCP todo server.')
    .version('0.1.0')
    .showHelpAfterError()
    .exitOverride();

  program
    .command('serve')
    .description('Run the todo MCP server (and, with no issuer, the embedded development authorization server).')
    .addOption(new Option('--port <port>', 'port of the MCP server [env TODO_MCP_PORT] (default: 3001)'))
    .addOption(new Option('--host <host>', 'interface to bind [env TODO_MCP_HOST] (default: 127.0.0.1)'))
    .addOption(new Option('--resource <url>', 'resource identifier, published as is [env TODO_MCP_RESOURCE] (default: http://localhost:<port>)'))
    .addOption(new Option('--issuer <url>', 'trusted authorization server issuer [env TODO_MCP_ISSUER] (default: embedded development server)'))
    .addOption(new Option('--auth-port <port>', 'port of the embedded authorization server [env TODO_MCP_AUTH_PORT] (default: 3002)'))
    .addOption(new Option('--data <file>', 'todos JSON file [env TODO_MCP_DATA] (default: ./.todo-mcp/todos.json)'))
    .addOption(new Option('--store <url|file>', 'where todos live: postgres://user:pass@host/db (shared by replicas) or a JSON file path [env TODO_MCP_STORE] (default: the --data file)'))
    .addOption(new Option('--allowed-origin <origin>', 'extra browser origin allowed on /mcp, repeatable [env TODO_MCP_ALLOWED_ORIGINS, comma-separated]').argParser(collect))
    .option('--stateless', 'keep no server-side MCP sessions [env TODO_MCP_STATELESS]')
    .option('--config <file>', 'config file [env TODO_MCP_CONFIG] (default: ./todo-mcp.config.json when present)')
    .action((opts) => run(async () => (await import('./serve.js')).serveCommand as never, opts));

  program
    .command('auth-server')
    .description('Run only the embedded development authorization server (development use only).')
    .addOption(new Option('--auth-port <port>', 'port to listen on [env TODO_MCP_AUTH_PORT] (default: 3002)'))
    .addOption(new Option('--resource <url>', 'resource indicator it issues tokens for [env TODO_MCP_RESOURCE] (default: http://localhost:3001)'))
    .addOption(new Option('--data <file>', 'todos file; its state lives in dev-auth/ beside it [env TODO_MCP_DATA] (default: ./.todo-mcp/todos.json)'))
    .option('--config <file>', 'config file [env TODO_MCP_CONFIG] (default: ./todo-mcp.config.json when present)')
    .action((opts) => run(async () => (await import('./auth-server.js')).authServerCommand as never, opts));

  program
    .command('init')
    .description('Write todo-mcp.config.json and .env.example for a provider (never overwrites without --force).')
    .option('--provider <name>', 'embedded | logto | generic (default: embedded)')
    .option('--issuer <url>', 'authorization server issuer (required for logto and generic)')
    .option('--resource <url>', 'resource identifier = the API resource indicator (default: http://localhost:<port>)')
    .option('--client-id <id>', 'pre-registered client id for the CLI (required for logto: the Native app\'s App ID)')
    .option('--audience <value>', 'audience parameter, for generic providers that use one instead of resource')
    .option('--server <url>', 'MCP endpoint the CLI calls (default: http://localhost:<port>/mcp)')
    .option('--port <port>', 'port of the MCP server (default: 3001)')
    .option('--force', 'overwrite existing files')
    .action((opts) => run(async () => (await import('./init.js')).initCommand as never, opts));

  program
    .command('doctor [server-url]')
    .description('Check the server, its metadata, the authorization server, keys and your cached token; say what to fix.')
    .option('--server <url>', 'MCP endpoint [env TODO_MCP_SERVER] (default: the config file\'s "server", else http://localhost:3001/mcp)')
    .option('--config <file>', 'config file [env TODO_MCP_CONFIG]')
    .option('--json', 'print the report as JSON')
    .addOption(new Option('--timeout <seconds>', 'timeout per request (default: 5)').argParser(positiveSeconds))
    .action((serverUrl, opts) => run(async () => (async (o: never, ctx: CliContext) => (await import('./doctor.js')).doctorCommand(serverUrl, o, ctx)) as never, opts));

  // login, call, tools, whoami, token, logout: the MCP client side.
  registerClientCommands(program, run);

  return program;
}

/** The single place that turns results and errors into exit codes and leaves the process. */
export async function main(argv: string[]): Promise<void> {
  const stopSignal = new Promise<string>((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve(signal));
  });
  const ctx: CliContext = { env: process.env, cwd: process.cwd(), stdout: process.stdout, stderr: process.stderr, stopSignal };
  let code: number = EXIT.ok;
  const program = buildProgram(async (load, opts) => {
    const command = await load();
    code = (await command(opts as never, ctx)) ?? EXIT.ok;
  });
  try {
    await program.parseAsync(argv);
  } catch (error) {
    code = exitCodeFor(error, ctx);
  }
  process.exitCode = code;
  // Servers close their handles on shutdown; anything still pending (keep-alive sockets) must not hold the exit.
  setTimeout(() => process.exit(code), 1_000).unref();
}

function exitCodeFor(error: unknown, ctx: CliContext): number {
  if (error instanceof CommanderError) {
    return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  if (isTodoMcpError(error)) {
    // The message is public; `detail` (internals) is not shown.
    ctx.stderr.write(`todo-mcp: ${error.message}\n`);
    return EXIT_FOR_CODE[error.code];
  }
  ctx.stderr.write(`todo-mcp: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\nPlease report this.\n`);
  return EXIT.internal;
}
