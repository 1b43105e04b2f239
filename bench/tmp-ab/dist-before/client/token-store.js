import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { ClientError } from './client-error.js';
import { resourceCoversServer } from './discover-protected-resource.js';
import { withFileLock } from './file-lock.js';
import { ensurePrivateDir, tightenFileMode, writePrivateFileAtomic } from './private-file.js';
const registration = z.object({
    clientId: z.string().min(1),
    clientSecret: z.string().optional(),
    authMethod: z.enum(['none', 'client_secret_basic', 'client_secret_post']),
    kind: z.enum(['pre-registered', 'metadata-document', 'dynamic']),
    redirectUri: z.string().optional(),
    grantTypes: z.array(z.string()).optional(),
});
const fileSchema = z.object({
    version: z.literal(1),
    entries: z.array(z.object({
        server: z.string(),
        resource: z.string(),
        audience: z.string().optional(),
        issuer: z.string(),
        authorizationServer: z.looseObject({ issuer: z.string() }),
        client: registration,
        accessToken: z.string().min(1),
        tokenType: z.string(),
        refreshToken: z.string().optional(),
        expiresAt: z.number().optional(),
        scopesRequested: z.array(z.string()),
        scopesGranted: z.array(z.string()),
        subject: z.string().optional(),
        updatedAt: z.number(),
    })),
    clients: z.array(registration.extend({ issuer: z.string() })),
});
export const TOKEN_FILE_NAME = 'tokens.json';
const empty = () => ({ version: 1, entries: [], clients: [] });
/** A token store in `<dir>/tokens.json`. */
export function createTokenStore(options) {
    const path = join(options.dir, TOKEN_FILE_NAME);
    async function read() {
        let text;
        try {
            text = await readFile(path, 'utf8');
        }
        catch (error) {
            if (error.code === 'ENOENT')
                return empty();
            throw new ClientError('store_error', `Cannot read the token file ${path}: ${error.message}`, { cause: error });
        }
        await tightenFileMode(path);
        let parsed;
        try {
            parsed = JSON.parse(text);
        }
        catch {
            throw new ClientError('store_error', `The token file ${path} is not valid JSON. Delete it and log in again.`);
        }
        const result = fileSchema.safeParse(parsed);
        if (!result.success) {
            throw new ClientError('store_error', `The token file ${path} is not in the expected format. Delete it and log in again.`);
        }
        return result.data;
    }
    return {
        path,
        read,
        async update(fn) {
            try {
                await ensurePrivateDir(options.dir);
            }
            catch (error) {
                throw new ClientError('store_error', `Cannot create the todo-mcp directory ${options.dir}: ${error.message}`, { cause: error });
            }
            return withFileLock({ path: `${path}.lock`, timeoutMs: options.lockTimeoutMs }, async () => {
                const data = await read();
                const before = JSON.stringify(data);
                const result = await fn(data);
                const after = JSON.stringify(data, null, 2);
                if (JSON.stringify(data) !== before) {
                    try {
                        await writePrivateFileAtomic(path, `${after}\n`);
                    }
                    catch (error) {
                        throw new ClientError('store_error', `Cannot write the token file ${path}: ${error.message}`, { cause: error });
                    }
                }
                return result;
            });
        },
    };
}
/** The entry for (resource, issuer). */
export function findEntry(data, resource, issuer) {
    return data.entries.find((e) => e.resource === resource && e.issuer === issuer);
}
/**
 * The login to use for an MCP endpoint: one made for exactly this URL, else one whose resource covers
 * it; the most recent wins when several do.
 */
export function findEntryForServer(data, serverUrl) {
    const newest = (list) => list.sort((a, b) => b.updatedAt - a.updatedAt)[0];
    return (newest(data.entries.filter((e) => e.server === serverUrl)) ??
        newest(data.entries.filter((e) => resourceCoversServer(e.resource, serverUrl))));
}
/** Inserts or replaces the entry for (entry.resource, entry.issuer). */
export function putEntry(data, entry) {
    data.entries = [...data.entries.filter((e) => !(e.resource === entry.resource && e.issuer === entry.issuer)), entry];
}
/** Removes the entry for (resource, issuer); true when there was one. */
export function removeEntry(data, resource, issuer) {
    const before = data.entries.length;
    data.entries = data.entries.filter((e) => !(e.resource === resource && e.issuer === issuer));
    return data.entries.length !== before;
}
/** Remembers a dynamically registered client for `issuer` (one per issuer). */
export function putRegistration(data, issuer, client) {
    if (client.kind !== 'dynamic')
        return;
    data.clients = [...data.clients.filter((c) => c.issuer !== issuer), { ...client, issuer }];
}
/** Forgets the dynamically registered client kept for `issuer`. */
export function forgetRegistration(data, issuer) {
    data.clients = data.clients.filter((c) => c.issuer !== issuer);
}
export function findRegistration(data, issuer) {
    const found = data.clients.find((c) => c.issuer === issuer);
    if (!found)
        return undefined;
    const { issuer: _issuer, ...client } = found;
    return client;
}
//# sourceMappingURL=token-store.js.map