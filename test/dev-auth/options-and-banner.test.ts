import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_PASSWORDS } from '../../src/dev-auth/accounts.js';
import { formatDevAuthBanner } from '../../src/dev-auth/banner.js';
import { startDevAuthServer } from '../../src/dev-auth/start-dev-auth-server.js';
import { startDevAuthFixture, TEST_RESOURCE, type DevAuthFixture } from '../helpers/dev-auth-fixture.js';
import { loginWithPassword } from '../helpers/dev-auth-login.js';

describe('start-up options', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'todo-mcp-dev-auth-opts-'));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('refuses a non-loopback host unless forced', async () => {
    await expect(startDevAuthServer({ host: '0.0.0.0', port: 0, resources: [TEST_RESOURCE], dataDir: join(root, 'a') })).rejects.toThrow(
      /loopback only/,
    );
  });

  it('refuses resources that are not absolute URLs and accounts with unknown roles', async () => {
    await expect(startDevAuthServer({ port: 0, resources: ['todos'], dataDir: join(root, 'b') })).rejects.toThrow(/must be an absolute http\(s\) URL/);
    await expect(startDevAuthServer({ port: 0, resources: ['urn:todos'], dataDir: join(root, 'b') })).rejects.toThrow(/must be an http\(s\) URL/);
    await expect(startDevAuthServer({ port: 0, resources: [`${TEST_RESOURCE}#`], dataDir: join(root, 'b') })).rejects.toThrow(/must not contain a fragment/);
    await expect(
      startDevAuthServer({ port: 0, resources: [TEST_RESOURCE], dataDir: join(root, 'c'), accounts: [{ username: 'x', password: 'y', roles: ['Nobody'] }] }),
    ).rejects.toThrow(/unknown role Nobody/);
  });

  it('reports a port in use with its errno code (the CLI maps it to a message)', async () => {
    const first = await startDevAuthServer({ port: 0, resources: [TEST_RESOURCE], dataDir: join(root, 'd') });
    try {
      await expect(startDevAuthServer({ port: first.port, resources: [TEST_RESOURCE], dataDir: join(root, 'e') })).rejects.toMatchObject({
        code: 'EADDRINUSE',
      });
    } finally {
      await first.close();
    }
  });
});

describe('configured accounts and roles', () => {
  let fx: DevAuthFixture;
  beforeAll(async () => {
    fx = await startDevAuthFixture({
      accounts: [{ username: 'carol', password: 'carol-pass', roles: ['Auditor'] }],
      roles: { Auditor: ['read:todos'] },
    });
  });
  afterAll(() => fx.cleanup());

  it('grants exactly the scopes of the configured role', async () => {
    const { tokens } = await loginWithPassword({
      issuer: fx.server.issuer,
      username: 'carol',
      password: 'carol-pass',
      scope: 'openid create:todos read:todos delete:todos',
      resource: TEST_RESOURCE,
    });
    expect(decodeJwt(tokens.access_token)).toMatchObject({ sub: 'carol', scope: 'read:todos' });
  });

  it('does not print configured passwords in the banner', () => {
    const banner = formatDevAuthBanner(fx.server);
    expect(banner).toMatch(/carol\s+\(configured\)\s+Auditor\s+read:todos/);
    expect(banner).not.toContain('carol-pass');
  });
});

describe('the banner', () => {
  it('says development only and lists the URLs, the seeded accounts and their passwords', async () => {
    const fx = await startDevAuthFixture();
    try {
      const banner = formatDevAuthBanner(fx.server);
      expect(banner).toContain('DEVELOPMENT ONLY');
      expect(banner).toContain(`Issuer:       ${fx.server.issuer}`);
      expect(banner).toContain(`${fx.server.origin}/.well-known/oauth-authorization-server/oidc`);
      expect(banner).toContain('todo-mcp-cli');
      expect(banner).toMatch(new RegExp(`admin\\s+${DEV_PASSWORDS.admin}\\s+Admin\\s+create:todos read:todos delete:todos`));
      expect(banner).toMatch(new RegExp(`alice\\s+${DEV_PASSWORDS.alice}\\s+User\\s+create:todos\\n`));
      expect(banner).toMatch(new RegExp(`bob\\s+${DEV_PASSWORDS.bob}\\s+User`));
      expect(fx.server.accounts.map((a) => a.username)).toEqual(['admin', 'alice', 'bob']);
      expect(JSON.stringify(fx.server.accounts)).not.toContain('-dev');
    } finally {
      await fx.cleanup();
    }
  });
});
