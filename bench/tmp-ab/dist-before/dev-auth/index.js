import { createServer } from 'node:http';
import { join } from 'node:path';
import Provider from 'oidc-provider';
import { ROLES } from '../auth/scopes.js';
import { createAccountDirectory, DEFAULT_DEV_ACCOUNTS, DEV_PASSWORDS } from './accounts.js';
import { ensurePrivateDir } from './atomic-file.js';
import { createFrontHandler, MOUNT_PATH } from './http-front.js';
import { createInteractionHandler } from './interaction-routes.js';
import { createJsonAdapterFactory } from './json-adapter.js';
import { openJsonStateStore } from './json-state-store.js';
import { loadOrCreateKeys } from './keys.js';
import { createProviderConfiguration } from './provider-config.js';
import { PAGE_CSP } from './html.js';
export { DEFAULT_DEV_ACCOUNTS, DEV_PASSWORDS } from './accounts.js';
export { DEV_CLI_CLIENT_ID, DEV_CLI_REDIRECT_URI } from './provider-config.js';
export { formatDevAuthBanner } from './banner.js';
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);
function checkResources(resources) {
    if (!resources.length)
        throw new TypeError('dev-auth: at least one resource indicator is required');
    for (const resource of resources) {
        let url;
        try {
            url = new URL(resource);
        }
        catch {
            throw new TypeError(`dev-auth: resource ${JSON.stringify(resource)} is not an absolute URL`);
        }
        if (url.hash || resource.includes('#'))
            throw new TypeError(`dev-auth: resource ${resource} must not have a fragment`);
    }
}
function listen(server, port, host) {
    return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
            server.off('error', reject);
            resolve();
        });
    });
}
/** Starts the embedded development authorization server (oidc-provider, shaped like Logto). */
export async function startDevAuthServer(options) {
    const host = options.host ?? '127.0.0.1';
    const log = options.log ?? (() => undefined);
    if (!LOOPBACK_HOSTS.has(host)) {
        if (!options.allowNonLoopback) {
            throw new Error(`dev-auth: refusing to bind ${host}: the development authorization server binds loopback only (allowNonLoopback forces it)`);
        }
        log(`WARNING: the development authorization server is listening on ${host}; anyone who can reach it can sign in with the development accounts.`);
    }
    checkResources(options.resources);
    const accountList = options.accounts ?? DEFAULT_DEV_ACCOUNTS;
    const accounts = createAccountDirectory({ accounts: accountList, roles: options.roles ?? ROLES });
    await ensurePrivateDir(options.dataDir);
    const keys = await loadOrCreateKeys(options.dataDir);
    const store = await openJsonStateStore({ path: join(options.dataDir, 'provider-state.json') });
    // The issuer needs the real port (port 0), so listen first and attach the handler once built.
    let handler;
    const http = createServer((req, res) => (handler ? handler(req, res) : res.writeHead(503).end()));
    await listen(http, options.port ?? 3002, host);
    const port = http.address().port;
    let issuer;
    let publicOrigin;
    try {
        publicOrigin = new URL(options.publicOrigin ?? `http://localhost:${port}`);
        issuer = `${publicOrigin.origin}${MOUNT_PATH}`;
        const provider = new Provider(issuer, createProviderConfiguration({ keys, adapter: createJsonAdapterFactory(store), accounts, resources: options.resources }));
        provider.proxy = true;
        // A default policy for every page the provider renders itself; `script-src` is there so the
        // provider can add the hash of its one inline auto-submit script (form_post).
        provider.use(async (ctx, next) => {
            ctx.set('Content-Security-Policy', `${PAGE_CSP}; script-src 'self'`);
            await next();
        });
        provider.on('server_error', (ctx, error) => log(`dev-auth: internal error on ${ctx.method} ${ctx.path}: ${error.message}`));
        handler = createFrontHandler({
            provider,
            publicOrigin,
            extraHosts: [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`],
            interactions: createInteractionHandler({ provider, accounts }),
            log,
        });
    }
    catch (error) {
        http.closeAllConnections();
        http.close();
        throw error;
    }
    const devPasswords = Object.fromEntries(accountList
        .filter((a) => DEV_PASSWORDS[a.username] === a.password)
        .map((a) => [a.username, a.password]));
    let closing;
    return {
        issuer,
        origin: publicOrigin.origin,
        port,
        dataDir: options.dataDir,
        resources: [...options.resources],
        accounts: accounts.list(),
        devPasswords,
        close() {
            closing ??= new Promise((resolve) => {
                http.closeAllConnections();
                http.close(() => resolve());
            }).then(() => store.flush());
            return closing;
        },
    };
}
//# sourceMappingURL=index.js.map