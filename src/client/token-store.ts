import { join } from 'node:path';
import type { ServerMetadata } from 'openid-client';
import { interruption } from '../errors/interrupted.js';
import { acquireFileLock, FileLockError } from '../fs/file-lock.js';
import { describeFsError } from '../fs/fs-error.js';
import { ensurePrivateDir, tightenFileMode } from '../fs/private-mode.js';
import { readFileIfExists } from '../fs/read-file-if-exists.js';
import { writeFileAtomic } from '../fs/write-file-atomic.js';
import { ClientError } from './client-error.js';
import { resourceCoversServer } from './discover-protected-resource.js';
import type { ClientRegistration } from './register-client.js';
import { isTokenFile } from './token-file-shape.js';

/** What the CLI keeps about one login: one entry per (resource, issuer). */
export interface TokenEntry {
  /** The MCP endpoint the login was made for. */
  readonly server: string;
  /** The resource indicator the tokens are for (from the Protected Resource Metadata). */
  readonly resource: string;
  /** The `audience` parameter of providers that take one (sent again on refresh). */
  readonly audience?: string;
  readonly issuer: string;
  /** The authorization server's metadata, so refresh and revocation need no discovery. */
  readonly authorizationServer: ServerMetadata;
  readonly client: ClientRegistration;
  readonly accessToken: string;
  readonly tokenType: string;
  readonly refreshToken?: string;
  /** Access token expiry, seconds since the epoch; absent when the server did not say. */
  readonly expiresAt?: number;
  readonly scopesRequested: readonly string[];
  readonly scopesGranted: readonly string[];
  /** `sub` of the access token when it is a readable JWT, else of the ID token (display only, never trusted for anything). */
  readonly subject?: string;
  /**
   * The user's name from the validated ID token (`username`, `preferred_username`, `name` or `email`, the
   * first present), for showing beside `subject`. Display only: never sent to the MCP server.
   */
  readonly name?: string;
  /** When these tokens were obtained, seconds since the epoch. */
  readonly updatedAt: number;
}

/** A dynamically registered client, kept per authorization server so later logins reuse it. */
export type StoredRegistration = ClientRegistration & { readonly issuer: string };

export interface TokenFile {
  version: 1;
  entries: TokenEntry[];
  clients: StoredRegistration[];
}

export const TOKEN_FILE_NAME = 'tokens.json';

export interface TokenStoreOptions {
  /** The todo-mcp home directory (created 0700 when missing); the file is `<dir>/tokens.json`, mode 0600. */
  readonly dir: string;
  /** Longest wait for another process holding the lock, in milliseconds. Default: 30000. */
  readonly lockTimeoutMs?: number;
  /** Aborting it ends a wait for the lock: `update` then rejects with `signal.reason`. Default: none. */
  readonly signal?: AbortSignal;
}

// The lock is held for one read-modify-write (at most a token refresh, bounded by its request timeout),
// so one held for two minutes was left by a process that hung or whose pid now belongs to another.
const LOCK_STALE_AFTER_MS = 120_000;
const DEFAULT_LOCK_TIMEOUT_MS = 30_000;

export interface TokenStore {
  /** Path of the token file. */
  readonly path: string;
  /** The current content (an empty file when there is none yet). Reads need no lock: writes are atomic. */
  read(): Promise<TokenFile>;
  /**
   * Runs `fn` under the cross-process lock on a fresh copy of the content; if `fn` changed it, the
   * new content is written (atomically, 0600) before the lock is released.
   */
  update<T>(fn: (data: TokenFile) => Promise<T> | T): Promise<T>;
}

const empty = (): TokenFile => ({ version: 1, entries: [], clients: [] });

/** A token store in `<dir>/tokens.json`. */
export function createTokenStore(options: TokenStoreOptions): TokenStore {
  const path = join(options.dir, TOKEN_FILE_NAME);

  async function read(): Promise<TokenFile> {
    const data = await readFileIfExists(path).catch((error: unknown) => {
      throw new ClientError('store_error', `Cannot read the token file ${path}: ${describeFsError(error)}.`, { cause: error });
    });
    if (data === undefined) return empty();
    await tightenFileMode(path);
    let parsed: unknown;
    try {
      parsed = JSON.parse(data.toString('utf8'));
    } catch {
      throw new ClientError('store_error', `The token file ${path} is not valid JSON. Delete it and log in again.`);
    }
    if (!isTokenFile(parsed)) {
      throw new ClientError('store_error', `The token file ${path} is not in the expected format. Delete it and log in again.`);
    }
    return parsed;
  }

  return {
    path,
    read,
    async update(fn) {
      try {
        await ensurePrivateDir(options.dir);
      } catch (error) {
        throw new ClientError('store_error', `Cannot create the todo-mcp directory ${options.dir}: ${(error as Error).message}`, { cause: error });
      }
      const waitMs = options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
      const lock = await acquireFileLock({ path: `${path}.lock`, waitMs, staleAfterMs: LOCK_STALE_AFTER_MS, signal: options.signal }).catch(
        (error: unknown) => {
          throw lockError(error, path, waitMs, options.signal);
        },
      );
      try {
        const data = await read();
        const before = JSON.stringify(data);
        const result = await fn(data);
        if (JSON.stringify(data) !== before) {
          try {
            await writeFileAtomic(path, `${JSON.stringify(data, null, 2)}\n`);
          } catch (error) {
            throw new ClientError('store_error', `Cannot write the token file ${path}: ${(error as Error).message}`, { cause: error });
          }
        }
        return result;
      } finally {
        await lock.release();
      }
    },
  };
}

/** A lock that could not be taken, as a store_error; an abort stays what the signal said. */
function lockError(error: unknown, path: string, waitMs: number, signal: AbortSignal | undefined): unknown {
  if (signal?.aborted && error === signal.reason) return interruption(signal, `waiting for another todo-mcp process to release ${path}`);
  if (error instanceof FileLockError) {
    const advice = `Another todo-mcp command is using it (waited ${Math.round(waitMs / 1000)} s).`;
    return new ClientError('store_error', error.explain(`The token file ${path}`, advice), { cause: error });
  }
  return new ClientError('store_error', `Cannot create the lock file ${path}.lock: ${describeFsError(error)}`, { cause: error });
}

/** The entry for (resource, issuer). */
export function findEntry(data: TokenFile, resource: string, issuer: string): TokenEntry | undefined {
  return data.entries.find((e) => e.resource === resource && e.issuer === issuer);
}

/**
 * The login to use for an MCP endpoint: one made for exactly this URL, else one whose resource covers
 * it; the most recent wins when several do.
 */
export function findEntryForServer(data: TokenFile, serverUrl: string): TokenEntry | undefined {
  const newest = (list: TokenEntry[]) => list.sort((a, b) => b.updatedAt - a.updatedAt)[0];
  return (
    newest(data.entries.filter((e) => e.server === serverUrl)) ??
    newest(data.entries.filter((e) => resourceCoversServer(e.resource, serverUrl)))
  );
}

/** Inserts or replaces the entry for (entry.resource, entry.issuer). */
export function putEntry(data: TokenFile, entry: TokenEntry): void {
  data.entries = [...data.entries.filter((e) => !(e.resource === entry.resource && e.issuer === entry.issuer)), entry];
}

/** Removes the entry for (resource, issuer); true when there was one. */
export function removeEntry(data: TokenFile, resource: string, issuer: string): boolean {
  const before = data.entries.length;
  data.entries = data.entries.filter((e) => !(e.resource === resource && e.issuer === issuer));
  return data.entries.length !== before;
}

/** Remembers a dynamically registered client for `issuer` (one per issuer). */
export function putRegistration(data: TokenFile, issuer: string, client: ClientRegistration): void {
  if (client.kind !== 'dynamic') return;
  data.clients = [...data.clients.filter((c) => c.issuer !== issuer), { ...client, issuer }];
}

/** Forgets the dynamically registered client kept for `issuer`. */
export function forgetRegistration(data: TokenFile, issuer: string): void {
  data.clients = data.clients.filter((c) => c.issuer !== issuer);
}

export function findRegistration(data: TokenFile, issuer: string): ClientRegistration | undefined {
  const found = data.clients.find((c) => c.issuer === issuer);
  if (!found) return undefined;
  const { issuer: _issuer, ...client } = found;
  return client;
}

/** Whether the access token is expired, or will be within `skewSeconds`. Unknown expiry counts as valid. */
export function isExpired(entry: TokenEntry, skewSeconds = 30, now = Math.floor(Date.now() / 1000)): boolean {
  return entry.expiresAt !== undefined && entry.expiresAt - skewSeconds <= now;
}
