import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DEV_PASSWORDS } from '../../../src/dev-auth/accounts.js';
import { signInWithForm, startBrowserRelay } from '../../helpers/browser-relay.js';
import { runCli, type CliResult } from '../../helpers/run-cli.js';

export type DevUser = keyof typeof DEV_PASSWORDS;

/** A terminal user logged in with `todo-mcp login` (their own TODO_MCP_HOME). */
export interface CliUser {
  /** Environment that makes `todo-mcp` act as this user. */
  readonly env: Record<string, string>;
  /** `todo-mcp …` as this user. */
  cli(args: string[]): Promise<CliResult>;
  /** `todo-mcp token <server>`: the access token the README pipes into other clients. */
  token(): Promise<string>;
}

/**
 * Logs `name` in with the real CLI: `todo-mcp login <server>` opens "the browser" (`BROWSER`, a
 * relay to a scripted walk through our real sign-in and consent forms) and stores the tokens.
 */
export async function loginCliUser(options: { root: string; name: DevUser; mcpUrl: string }): Promise<CliUser> {
  const home = join(options.root, `cli-${options.name}`);
  await mkdir(home, { recursive: true });
  const relay = await startBrowserRelay(signInWithForm({ username: options.name, password: DEV_PASSWORDS[options.name] }));
  const env = { HOME: home, XDG_CONFIG_HOME: join(home, '.config'), TODO_MCP_HOME: join(home, 'todo-mcp'), TODO_MCP_SERVER: options.mcpUrl };
  const cli = (args: string[], extra: Record<string, string> = {}) => runCli(args, { cwd: home, env: { ...env, ...extra }, timeoutMs: 60_000 });
  try {
    const login = await cli(['login', '--timeout', '50', options.mcpUrl], relay.env);
    if (login.code !== 0) throw new Error(`todo-mcp login as ${options.name} exited ${login.code}\n${login.stdout}\n${login.stderr}`);
    await relay.settled();
    if (relay.failures.length) throw relay.failures[0];
  } finally {
    await relay.close();
  }
  return {
    env,
    cli: (args) => cli(args),
    async token() {
      const result = await cli(['token', options.mcpUrl]);
      if (result.code !== 0) throw new Error(`todo-mcp token exited ${result.code}: ${result.stderr}`);
      return result.stdout.trim();
    },
  };
}
