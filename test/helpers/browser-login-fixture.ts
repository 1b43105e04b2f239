import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEV_PASSWORDS } from '../../src/dev-auth/accounts.js';
import { startTodoServer, type RunningTodoServer } from '../../src/server/start-todo-server.js';
import type { TokenFile } from '../../src/client/token-store.js';
import { startBrowserRelay, signInWithForm, type BrowserBehaviour, type BrowserRelay } from './browser-relay.js';
import { runCliInProcess } from './run-cli-in-process.js';
import { runCli, type CliResult } from './run-cli.js';

export type DevUser = keyof typeof DEV_PASSWORDS;

/** One terminal user: their own todo-mcp home and a "browser" that signs them in. */
export interface CliUser {
  readonly home: string;
  readonly relay: BrowserRelay;
  /**
   * Runs `todo-mcp …` as this user (TODO_MCP_HOME, BROWSER set; HOME/XDG point into the temp dir): in this
   * process (run-cli-in-process.ts), or with `spawn` the real binary, as a user runs it.
   */
  cli(args: string[], options?: { env?: Record<string, string | undefined>; timeoutMs?: number; spawn?: boolean }): Promise<CliResult>;
  /** The token file, parsed (undefined when missing). */
  tokens(): Promise<TokenFile | undefined>;
}

export interface ClientFixture {
  readonly server: RunningTodoServer;
  readonly root: string;
  /** A user signing in with the real sign-in form (or with `behaviour` instead). */
  user(name: DevUser, behaviour?: BrowserBehaviour): Promise<CliUser>;
  close(): Promise<void>;
}

/** `startTodoServer` on the embedded default (dev authorization server on port 0), everything in a temp dir. */
export async function startClientFixture(): Promise<ClientFixture> {
  const root = await mkdtemp(join(tmpdir(), 'todo-mcp-client-'));
  const server = await startTodoServer({
    config: { port: 0, host: '127.0.0.1', resource: undefined, issuer: undefined, authPort: 0, dataFile: join(root, 'todos.json'), allowedOrigins: [], stateless: false },
  });
  const relays: BrowserRelay[] = [];
  let count = 0;
  return {
    server,
    root,
    async user(name, behaviour) {
      const home = join(root, `home-${name}-${(count += 1)}`);
      await mkdir(home, { recursive: true });
      const relay = await startBrowserRelay(behaviour ?? signInWithForm({ username: name, password: DEV_PASSWORDS[name] }));
      relays.push(relay);
      const todoHome = join(home, 'todo-mcp');
      return {
        home: todoHome,
        relay,
        cli: (args, options = {}) =>
          (options.spawn ? runCli : runCliInProcess)(args, {
            cwd: home,
            timeoutMs: options.timeoutMs ?? 30_000,
            env: { HOME: home, XDG_CONFIG_HOME: join(home, '.config'), TODO_MCP_HOME: todoHome, ...relay.env, ...options.env },
          }),
        async tokens() {
          const text = await readFile(join(todoHome, 'tokens.json'), 'utf8').catch(() => undefined);
          return text === undefined ? undefined : (JSON.parse(text) as TokenFile);
        },
      };
    },
    async close() {
      await Promise.all(relays.map((relay) => relay.close()));
      await server.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}
