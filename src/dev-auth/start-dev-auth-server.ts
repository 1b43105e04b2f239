import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join, resolve as resolvePath } from 'node:path';
import Provider from 'oidc-provider';
import { ROLES } from '../policy/roles.js';
import type { FileLock } from '../fs/file-lock.js';
import { httpUrlProblem } from '../http/http-url.js';
import { closeNow, listen } from '../net/http-server.js';
import { isLoopbackHost } from '../net/loopback.js';
import { ensurePrivateDir } from '../fs/private-mode.js';
import { createAccountDirectory, DEFAULT_DEV_ACCOUNTS, DEV_PASSWORDS, type AccountDirectory, type DevAccount, type DevAccountInfo } from './accounts.js';
import { createFrontHandler, MOUNT_PATH } from './http-front.js';
import { createInteractionHandler } from './interaction-routes.js';
import { createJsonAdapterFactory } from './json-adapter.js';
import { openJsonStateStore } from './json-state-store.js';
import { loadOrCreateKeys } from './keys.js';
import { createProviderConfiguration } from './provider-config.js';
import { lockStateDirectory } from './state-file.js';
import { PAGE_CSP } from './html.js';
import { DEFAULTS } from '../config/defaults.js';
import { silentLogger, type Logger } from '../log/logger.js';

export interface DevAuthServerOptions {
  /** Interface to bind. Default: '127.0.0.1'. A non-loopback host throws unless `allowNonLoopback`. */
  host?: string;
  /** Bind a non-loopback host anyway (a warning is logged). Default: false. */
  allowNonLoopback?: boolean;
  /** TCP port. Default: 3002 (DEFAULTS.authPort); 0 picks a free one. */
  port?: number;
  /** Origin clients use to reach this server. Default: `http://localhost:<port>`; the issuer is `<origin>/oidc`. */
  publicOrigin?: string;
  /** Resource indicators tokens may be issued for (exact match); any other is `invalid_target`. */
  resources: readonly string[];
  /** Directory for keys and provider state; created with mode 0700, locked by `<dataDir>.lock` while the server runs. */
  dataDir: string;
  /** Accounts. Default: {@link DEFAULT_DEV_ACCOUNTS} (admin, alice, bob). */
  accounts?: readonly DevAccount[];
  /** Role → scopes. Default: ROLES from src/policy/roles.ts. */
  roles?: Readonly<Record<string, readonly string[]>>;
  /** Receives warnings and internal errors (never tokens). Default: discard. */
  logger?: Logger;
}

export interface DevAuthServer {
  /** Issuer identifier, e.g. http://localhost:3002/oidc */
  readonly issuer: string;
  /** Public origin, e.g. http://localhost:3002 */
  readonly origin: string;
  readonly port: number;
  readonly dataDir: string;
  readonly resources: readonly string[];
  /** Accounts, without passwords. */
  readonly accounts: readonly DevAccountInfo[];
  /** The documented development passwords of seeded accounts that still use them (for the banner). */
  readonly devPasswords: Readonly<Record<string, string>>;
  /** Stops listening, drops open connections and waits until the state is on disk. */
  close(): Promise<void>;
}

function checkResources(resources: readonly string[]): void {
  if (!resources.length) throw new TypeError('dev-auth: at least one resource indicator is required');
  for (const resource of resources) {
    const problem = httpUrlProblem(resource);
    if (problem) throw new TypeError(`dev-auth: resource ${JSON.stringify(resource)} ${problem}`);
  }
}

/** Starts the embedded development authorization server (oidc-provider, shaped like Logto). */
export async function startDevAuthServer(options: DevAuthServerOptions): Promise<DevAuthServer> {
  const host = options.host ?? '127.0.0.1';
  const logger = options.logger ?? silentLogger;
  if (!isLoopbackHost(host)) {
    if (!options.allowNonLoopback) {
      throw new Error(`dev-auth: refusing to bind ${host}: the development authorization server binds loopback only (allowNonLoopback forces it)`);
    }
    logger.warn({ host }, 'the development authorization server is listening beyond loopback: anyone who can reach it can sign in with the development accounts');
  }
  checkResources(options.resources);
  const accountList = options.accounts ?? DEFAULT_DEV_ACCOUNTS;
  const accounts = createAccountDirectory({ accounts: accountList, roles: options.roles ?? ROLES });

  await ensurePrivateDir(options.dataDir);
  // Locked before anything is read; resolved, so that `dev-auth` and `./dev-auth/` are one lock.
  const lock = await lockStateDirectory(resolvePath(options.dataDir));
  try {
    return await startLocked(options, { host, logger, accounts, accountList, lock });
  } catch (error) {
    await lock.release().catch(() => undefined);
    throw error;
  }
}

/** The rest of {@link startDevAuthServer}, once `lock` is held; closing the server releases it. */
async function startLocked(
  options: DevAuthServerOptions,
  context: { host: string; logger: Logger; accounts: AccountDirectory; accountList: readonly DevAccount[]; lock: FileLock },
): Promise<DevAuthServer> {
  const { host, logger, accounts, accountList, lock } = context;
  const keys = await loadOrCreateKeys(options.dataDir);
  const store = await openJsonStateStore({ path: join(options.dataDir, 'provider-state.json') });

  // The issuer needs the real port (port 0), so listen first and attach the handler once built.
  let handler: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  const http = createServer((req, res) => (handler ? handler(req, res) : res.writeHead(503).end()));
  const port = await listen(http, options.port ?? DEFAULTS.authPort, host);

  let issuer: string;
  let publicOrigin: URL;
  try {
    publicOrigin = new URL(options.publicOrigin ?? `http://localhost:${port}`);
    issuer = `${publicOrigin.origin}${MOUNT_PATH}`;
    const provider = new Provider(
      issuer,
      createProviderConfiguration({ keys, adapter: createJsonAdapterFactory(store), accounts, resources: options.resources }),
    );
    provider.proxy = true;
    // A default policy for every page the provider renders itself; `script-src` is there so the
    // provider can add the hash of its one inline auto-submit script (form_post).
    provider.use(async (ctx, next) => {
      ctx.set('Content-Security-Policy', `${PAGE_CSP}; script-src 'self'`);
      await next();
    });
    provider.on('server_error', (ctx: { method: string; path: string }, error: Error) =>
      logger.error({ component: 'dev-auth', method: ctx.method, path: ctx.path, err: error }, 'internal error'),
    );
    handler = createFrontHandler({
      provider,
      publicOrigin,
      port,
      interactions: createInteractionHandler({ provider, accounts }),
      logger,
    });
  } catch (error) {
    await closeNow(http);
    throw error;
  }

  const devPasswords = Object.fromEntries(
    accountList
      .filter((a) => (DEV_PASSWORDS as Record<string, string>)[a.username] === a.password)
      .map((a) => [a.username, a.password]),
  );
  let closing: Promise<void> | undefined;
  return {
    issuer,
    origin: publicOrigin.origin,
    port,
    dataDir: options.dataDir,
    resources: [...options.resources],
    accounts: accounts.list(),
    devPasswords,
    close() {
      closing ??= closeNow(http)
        .then(() => store.flush())
        .finally(() => lock.release());
      return closing;
    },
  };
}
