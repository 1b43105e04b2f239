import { Option, type Command } from '@commander-js/extra-typings';
import { DEFAULTS, defaultResource, defaultServerUrl } from '../config/defaults.js';
import { PROVIDERS } from '../config/providers.js';
import type { ValueSource } from '../config/config-file.js';
import { LOG_FORMATS, LOG_LEVELS } from '../log/logger.js';
import type { CommandRunner } from './command-runner.js';
import { fixedPort, httpUrl, httpUrls, integerFrom, nonEmpty, onOff, port, storeLocation } from './option-parsers.js';

const CONFIG_HELP = `./${DEFAULTS.configFile} when present`;

/** `--config`, which every command reading the config file takes. */
export const configOption = () => new Option('--config <file>', 'config file').env('TODO_MCP_CONFIG').default(undefined, CONFIG_HELP);

/** `--log-level`, for the commands that run a server (each command its own Option object). */
const logLevelOption = () =>
  new Option('--log-level <level>', 'least severe log line written (silent: no log at all)').choices(LOG_LEVELS).env('TODO_MCP_LOG_LEVEL').default('info' as const);
/** `--log-format`: JSON lines for machines (a pipe, a file), pretty lines for people (a terminal). */
const logFormatOption = () =>
  new Option('--log-format <format>', 'JSON lines, or pretty lines for people').choices(LOG_FORMATS).env('TODO_MCP_LOG_FORMAT').default(undefined, 'pretty on a terminal, else json');

/** serve, auth-server and init: running the servers and setting them up. Each command module loads only when it runs. */
export function registerServerCommands(program: Command, runner: CommandRunner): void {
  const { configured, run } = runner;

  const serve = program
    .command('serve')
    .description('Run the todo MCP server (and, with no issuer, the embedded development authorization server).')
    .addOption(configured('port', new Option('--port <port>', 'port of the MCP server').env('TODO_MCP_PORT').default(DEFAULTS.port).argParser(port)))
    .addOption(configured('host', new Option('--host <host>', 'interface to bind').env('TODO_MCP_HOST').default(DEFAULTS.host).argParser(nonEmpty)))
    .addOption(
      configured(
        'resource',
        new Option('--resource <url>', 'resource identifier, published exactly as given').env('TODO_MCP_RESOURCE').default(undefined, defaultResource('<port>')).argParser(httpUrl),
      ),
    )
    .addOption(configured('issuer', new Option('--issuer <url>', 'trusted authorization server issuer').env('TODO_MCP_ISSUER').default(undefined, 'embedded dev server').argParser(httpUrl)))
    .addOption(configured('authPort', new Option('--auth-port <port>', 'port of the embedded authorization server').env('TODO_MCP_AUTH_PORT').default(DEFAULTS.authPort).argParser(port)))
    .addOption(configured('data', new Option('--data <file>', 'todos JSON file (the embedded server keeps its state in dev-auth/ beside it)').env('TODO_MCP_DATA').default(DEFAULTS.dataFile).argParser(nonEmpty)))
    .addOption(
      configured(
        'store',
        new Option('--store <url|file>', 'postgres://user:pass@host/db to keep todos in PostgreSQL (shared by replicas), or a JSON file path').env('TODO_MCP_STORE').default(undefined, 'the JSON file (--data)').argParser(storeLocation),
      ),
    )
    .addOption(
      configured(
        'pgPool',
        new Option('--pg-pool <connections>', 'most connections to PostgreSQL this server keeps (with --store postgres://…)')
          .env('TODO_MCP_PG_POOL')
          .default(DEFAULTS.pgPoolSize)
          .argParser(integerFrom(1, DEFAULTS.pgPoolSizeMax)),
      ),
    )
    .addOption(
      configured(
        'allowedOrigins',
        new Option('--allowed-origin <origin>', 'extra browser origin allowed on /mcp, repeatable (the variable: comma-separated)').env('TODO_MCP_ALLOWED_ORIGINS').default([] as string[], 'loopback origins only').argParser(httpUrls),
      ),
    )
    .addOption(configured('stateless', new Option('--stateless [on|off]', 'keep no server-side MCP sessions').env('TODO_MCP_STATELESS').default(false, 'off').preset('on').argParser(onOff)))
    .addOption(configured('logLevel', logLevelOption()))
    .addOption(configured('logFormat', logFormatOption()))
    .addOption(configOption());
  serve.action((_options, command) =>
    run(command, async () => (await import('./serve.js')).serveCommand, {
      args: { sourceOf: (key: 'store' | 'data') => command.getOptionValueSource(key) as ValueSource },
    }),
  );

  const authServer = program
    .command('auth-server')
    .description('Run only the embedded development authorization server (development use only).')
    .addOption(configured('authPort', new Option('--auth-port <port>', 'port to listen on').env('TODO_MCP_AUTH_PORT').default(DEFAULTS.authPort).argParser(port)))
    .addOption(configured('resource', new Option('--resource <url>', 'resource indicator it issues tokens for').env('TODO_MCP_RESOURCE').default(undefined, defaultResource('<port>')).argParser(httpUrl)))
    .addOption(configured('port', new Option('--port <port>', "the MCP server's port, for the default --resource").env('TODO_MCP_PORT').default(DEFAULTS.port).argParser(port)))
    .addOption(configured('data', new Option('--data <file>', 'todos file; its state lives in dev-auth/ beside it').env('TODO_MCP_DATA').default(DEFAULTS.dataFile).argParser(nonEmpty)))
    .addOption(configured('logLevel', logLevelOption()))
    .addOption(configured('logFormat', logFormatOption()))
    .addOption(configOption());
  authServer.action((_options, command) => run(command, async () => (await import('./auth-server.js')).authServerCommand));

  const init = program
    .command('init')
    .description('Write todo-mcp.config.json and .env.example for a provider (never overwrites without --force).')
    .addOption(new Option('--provider <name>', 'identity provider').choices(PROVIDERS).default('embedded'))
    .addOption(new Option('--issuer <url>', 'authorization server issuer (required for logto and generic)').argParser(httpUrl))
    .addOption(new Option('--resource <url>', 'resource identifier = the API resource indicator').default(undefined, defaultResource('<port>')).argParser(httpUrl))
    .addOption(new Option('--client-id <id>', "pre-registered client id for the CLI (required for logto: the Native app's App ID)").argParser(nonEmpty))
    .addOption(new Option('--audience <value>', 'audience parameter, for generic providers that use one instead of resource').argParser(nonEmpty))
    .addOption(new Option('--server <url>', 'MCP endpoint the CLI calls').default(undefined, defaultServerUrl('<port>')).argParser(httpUrl))
    .addOption(new Option('--port <port>', 'port of the MCP server').default(DEFAULTS.port).argParser(fixedPort))
    .option('--force', 'overwrite existing files');
  init.action((_options, command) => run(command, async () => (await import('./init.js')).initCommand));
}
