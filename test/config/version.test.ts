import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERSION } from '../../src/config/version.js';
import { runCli } from '../helpers/run-cli.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

let fx: TestServer;
beforeAll(async () => {
  fx = await startTestServer();
});
afterAll(async () => {
  await fx?.close();
});

describe('the version lives in package.json only', () => {
  it('is read from there', () => {
    expect(VERSION).toBe(pkg.version);
  });

  it('is written nowhere in src/', () => {
    const files = readdirSync(SRC, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ts'));
    for (const file of files) expect(readFileSync(join(SRC, file), 'utf8'), file).not.toContain(`'${pkg.version}'`);
  });

  it('todo-mcp --version prints it, and the server introduces itself with it', async () => {
    const r = await runCli(['--version']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
    const client = await fx.connect(await fx.token('version-reader', 'read:todos'));
    expect(client.getServerVersion()).toMatchObject({ name: 'todo-mcp', version: pkg.version });
    await client.close();
  });
});
