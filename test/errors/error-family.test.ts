import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthFromIssuer } from '../../src/auth/create-auth-from-issuer.js';
import { createTokenVerifier } from '../../src/auth/token-verifier.js';
import { EXIT_FOR_CODE } from '../../src/cli/cli-error.js';
import { buildToolArguments } from '../../src/cli/client-tool-arguments.js';
import { withMcpSession } from '../../src/client/mcp-session.js';
import { createTokenStore, putEntry } from '../../src/client/token-store.js';
import { loadConfigFile } from '../../src/config/config-file.js';
import { isTodoMcpError, TodoMcpError } from '../../src/errors/todo-mcp-error.js';
import { openTodoRepository } from '../../src/store/open-todo-repository.js';
import { parseTodoFile } from '../../src/store/todo-shape.js';
import { startStubMcpServer } from '../helpers/stub-mcp-server.js';
import { startTestIssuer, type TestIssuer } from '../helpers/test-issuer.js';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

/** What a call to `fn` throws (or rejects with). */
async function thrown(fn: () => unknown): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

/** An error of the family: a code the CLI knows, and a public message free of `secrets`. */
function expectFamilyMember(error: unknown, code: string, secrets: readonly string[]): TodoMcpError {
  expect(isTodoMcpError(error), String(error)).toBe(true);
  const ours = error as TodoMcpError;
  expect(ours.code).toBe(code);
  expect(Object.keys(EXIT_FOR_CODE)).toContain(ours.code);
  expect(ours.message.length).toBeGreaterThan(0);
  for (const secret of secrets) expect(ours.message, `${ours.name} ${ours.code}`).not.toContain(secret);
  return ours;
}

let issuer: TestIssuer;
let dir: string;
beforeAll(async () => {
  issuer = await startTestIssuer();
  dir = await mkdtemp(join(tmpdir(), 'todo-mcp-errors-'));
});
afterAll(async () => {
  await issuer?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('one error family', () => {
  it('every error class in src/ descends from TodoMcpError; only the base extends Error', () => {
    const files = readdirSync(SRC, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ts'));
    const parents = new Map<string, string>();
    for (const file of files) {
      const text = readFileSync(join(SRC, file), 'utf8');
      for (const match of text.matchAll(/class (\w+)(?:<[^>]*>)? extends (\w+)/g)) parents.set(match[1]!, match[2]!);
      if (!file.endsWith('todo-mcp-error.ts')) expect(text, file).not.toMatch(/extends (Error|TypeError|RangeError)\b/);
    }
    const errorClasses = [...parents.keys()].filter((name) => /Error|Failure|Violation/.test(name));
    expect(errorClasses.length).toBeGreaterThanOrEqual(12);
    for (const name of errorClasses) {
      let ancestor = name;
      for (let depth = 0; depth < 5 && ancestor !== 'TodoMcpError'; depth++) ancestor = parents.get(ancestor) ?? ancestor;
      expect(ancestor, name).toBe('TodoMcpError');
    }
  });

  it('auth: a refused token is invalid_token, and its description never echoes the token', async () => {
    const verifier = createTokenVerifier({ issuer: issuer.issuer, audience: 'http://127.0.0.1:1', jwksUri: issuer.jwksUri });
    const token = await issuer.sign({ aud: 'https://someone-else.example' });
    const error = expectFamilyMember(await thrown(() => verifier.verify(token)), 'invalid_token', [token, ...token.split('.')]);
    expect((error as unknown as { description: string }).description).toBe(error.message);
  });

  it('auth: keys that cannot be fetched are jwks_unavailable underneath invalid_token, the reason only in the detail', async () => {
    const verifier = createTokenVerifier({ issuer: issuer.issuer, audience: 'http://127.0.0.1:1', jwksUri: 'http://127.0.0.1:9/jwks', fetchTimeoutMs: 2_000 });
    const token = await issuer.sign({ aud: 'http://127.0.0.1:1' });
    const error = expectFamilyMember(await thrown(() => verifier.verify(token)), 'invalid_token', [token, '127.0.0.1:9']);
    expect(error.detail).toMatch(/JWKS/);
    expectFamilyMember(error.cause, 'jwks_unavailable', [token]);
  });

  it('auth: discovery that finds nothing is authorization_server_discovery_failed', async () => {
    expectFamilyMember(await thrown(() => createAuthFromIssuer({ issuer: 'http://127.0.0.1:9/oidc', audience: 'http://localhost:3001', discoveryTimeoutMs: 2_000 })), 'authorization_server_discovery_failed', []);
  });

  it('config: an invalid file is config_invalid, without echoing a value', async () => {
    const path = join(dir, 'todo-mcp.config.json');
    await writeFile(path, JSON.stringify({ clientSecret: 'super-secret-value', port: 'x' }));
    expectFamilyMember(await thrown(() => loadConfigFile({ path, cwd: dir })), 'config_invalid', ['super-secret-value']);
  });

  it('store: an unreachable PostgreSQL is store_unreadable, without the password', async () => {
    const error = await thrown(() => openTodoRepository({ store: 'postgres://todo:hunter2-secret@127.0.0.1:9/todos', dataFile: join(dir, 'unused.json') }));
    expectFamilyMember(error, 'store_unreadable', ['hunter2-secret']);
  });

  it('store: a document of the wrong shape is document_shape_invalid', async () => {
    expectFamilyMember(await thrown(() => parseTodoFile({ todos: 'not a list' })), 'document_shape_invalid', []);
  });

  it('client: a failing server is server_error and the stored token is never in the message', async () => {
    const stub = await startStubMcpServer((request) => (request.method === 'initialize' ? { status: 503, body: 'unavailable' } : undefined));
    try {
      const store = createTokenStore({ dir: join(dir, 'home') });
      const token = 'stored-token-7f1c2d';
      const now = Math.floor(Date.now() / 1000);
      await store.update((data) =>
        putEntry(data, {
          server: stub.url,
          resource: new URL(stub.url).origin,
          issuer: issuer.issuer,
          authorizationServer: { issuer: issuer.issuer },
          client: { clientId: 'c', authMethod: 'none', kind: 'pre-registered' },
          accessToken: token,
          tokenType: 'Bearer',
          expiresAt: now + 3600,
          scopesRequested: [],
          scopesGranted: [],
          updatedAt: now,
        }),
      );
      const error = expectFamilyMember(await thrown(() => withMcpSession({ serverUrl: stub.url, store }, async () => undefined)), 'server_error', [token]);
      expectFamilyMember(error.cause, 'http_error', [token]);
    } finally {
      await stub.close();
    }
  });

  it('cli: bad tool arguments are usage', async () => {
    expectFamilyMember(await thrown(() => buildToolArguments({ type: 'object', properties: {}, additionalProperties: false }, ['nope=1'])), 'usage', []);
  });
});
