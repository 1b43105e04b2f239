import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/cli-error.js';
import { DEV_PASSWORDS } from '../../src/dev-auth/accounts.js';
import { startClientFixture, type ClientFixture } from '../helpers/browser-login-fixture.js';

// `todo-mcp login` with a real browser (the rest of login's story is in login.test.ts); in test:integration.
const CHROMIUM = '/usr/bin/chromium';

let fx: ClientFixture;
beforeAll(async () => {
  fx = await startClientFixture();
});
afterAll(async () => {
  await fx?.close();
});

describe('todo-mcp login against the embedded default, in Chromium', { timeout: 120_000 }, () => {
  it.skipIf(!existsSync(CHROMIUM))('signs in with headless Chromium as the browser', async () => {
    let browser: Browser | undefined;
    try {
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
      });
      const launched = browser;
      const user = await fx.user('alice', async (url) => {
        const page = await launched.newPage();
        await page.goto(url.href);
        await page.fill('#username', 'alice');
        await page.fill('#password', DEV_PASSWORDS.alice);
        await Promise.all([page.waitForURL((u) => u.hostname === '127.0.0.1' && u.pathname === '/callback'), page.click('button[type=submit]')]);
        expect(await page.textContent('h1')).toBe('Signed in');
        await page.close();
      });
      const result = await user.cli(['login', '--client-id', 'todo-mcp-cli', fx.server.mcpUrl]);
      expect(user.relay.failures).toEqual([]);
      expect(result.code, result.stderr).toBe(EXIT.ok);
      expect(result.stdout).toContain('as alice');
    } finally {
      await browser?.close();
    }
  });
});
