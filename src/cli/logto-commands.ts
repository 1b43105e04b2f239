import { Option, type Command } from '@commander-js/extra-typings';
import { DEFAULTS, defaultResource, defaultServerUrl } from '../config/defaults.js';
import { DEFAULT_CHECKLIST_VALUES } from '../config/provider-checklist.js';
import type { CommandRunner } from './command-runner.js';
import { fixedPort, httpUrl, nonEmpty, positiveSeconds } from './option-parsers.js';

/** `todo-mcp logto …`: provisioning a Logto tenant through its Management API. The module loads only when it runs. */
export function registerLogtoCommands(program: Command, runner: CommandRunner): void {
  const { run } = runner;
  const logto = program.command('logto').description('Set up a Logto tenant for todo-mcp through the Logto Management API.');
  const setup = logto
    .command('setup')
    .description(
      'Create (or check) the API resource, permissions, roles, Native apps and, with --demo-users, users todo-mcp needs, ' +
        'then write todo-mcp.config.json. Idempotent: a second run changes nothing. The machine-to-machine secret comes from ' +
        'LOGTO_M2M_SECRET or a prompt, never from a flag.',
    )
    .addOption(new Option('--endpoint <url>', "the tenant: https://<tenant-id>.logto.app, or a self-hosted Logto's ENDPOINT (required)").env('LOGTO_ENDPOINT').argParser(httpUrl))
    .addOption(new Option('--m2m-id <id>', 'App ID of a machine-to-machine app with the Management API role (required)').env('LOGTO_M2M_ID').argParser(nonEmpty))
    .addOption(new Option('--management-resource <url>', 'Management API indicator').default(undefined, 'https://<tenant-id>.logto.app/api; https://default.logto.app/api when self-hosted').argParser(httpUrl))
    .addOption(new Option('--resource <url>', 'resource identifier of the MCP server = the API resource indicator').default(undefined, defaultResource('<port>')).argParser(httpUrl))
    .addOption(new Option('--server <url>', 'MCP endpoint written to the config').default(undefined, defaultServerUrl('<port>')).argParser(httpUrl))
    .addOption(new Option('--port <port>', 'port of the MCP server').default(DEFAULTS.port).argParser(fixedPort))
    .addOption(new Option('--inspector-redirect <uri>', "redirect URI of the Inspector's app").default(DEFAULT_CHECKLIST_VALUES.inspectorRedirectUri).argParser(httpUrl))
    .option('--demo-users', 'also create the users admin (Admin), alice and bob (User) with random passwords, printed once (for test tenants)')
    .option('--fix', 'repair objects that exist but differ (by default they are only reported)')
    .option('--dry-run', 'print what would change and change nothing')
    .option('--json', 'print the report as JSON')
    .addOption(new Option('--timeout <seconds>', 'timeout per request').default(DEFAULTS.logtoTimeoutSeconds).argParser(positiveSeconds));
  setup.action((_options, command) => run(command, async () => (await import('./logto-setup.js')).logtoSetupCommand));
}
