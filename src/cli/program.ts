import { Command } from '@commander-js/extra-typings';
import { VERSION } from '../config/version.js';
import { registerClientCommands } from './client-commands.js';
import { registerLogtoCommands } from './logto-commands.js';
import type { CommandRunner } from './command-runner.js';
import { registerServerCommands } from './server-commands.js';

/**
 * Declares every command with typed options: each option names its environment variable and default
 * (`Option.env()`, `.default()`), and the runner fills the config file's values in below them. Each command
 * module is imported only when it runs, to keep start-up fast.
 */
export function buildProgram(runner: CommandRunner): Command {
  const program = new Command('todo-mcp')
    .description('Run, log in to and call an OAuth-protected MCP todo server.')
    .version(VERSION)
    .configureHelp({ optionDescription: (option) => runner.describe(option) })
    .showHelpAfterError()
    .exitOverride();

  // serve, auth-server, init: the servers.
  registerServerCommands(program, runner);
  // login, call, tools, whoami, token, logout, doctor: the MCP client side.
  registerClientCommands(program, runner);
  // logto setup: provisioning a Logto tenant.
  registerLogtoCommands(program, runner);
  return program;
}
