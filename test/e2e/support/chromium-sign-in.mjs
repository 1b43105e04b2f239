#!/usr/bin/env node
// A `BROWSER` command for end-to-end tests: `todo-mcp login` runs `node chromium-sign-in.mjs <url>`, and this
// opens the URL in headless Chromium (Debian's, fresh profile), signs in on the real sign-in form as
// TODO_MCP_E2E_USER / TODO_MCP_E2E_PASSWORD, approves the consent page when shown, and waits until the
// browser has landed on the CLI's loopback callback page. What it saw goes to TODO_MCP_E2E_BROWSER_LOG
// (one JSON line per run; never the password), screenshots to TODO_MCP_E2E_SCREENSHOTS when set.
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const [url] = process.argv.slice(2);
const { TODO_MCP_E2E_USER: username, TODO_MCP_E2E_PASSWORD: password, TODO_MCP_E2E_BROWSER_LOG: logFile, TODO_MCP_E2E_SCREENSHOTS: shots } = process.env;
if (!url || !username || !password) {
  console.error('usage: TODO_MCP_E2E_USER=… TODO_MCP_E2E_PASSWORD=… chromium-sign-in.mjs <url>');
  process.exit(2);
}

const record = { user: username, pages: [], callback: undefined, callbackText: undefined, error: undefined };
const profile = mkdtempSync(join(tmpdir(), 'todo-mcp-chromium-'));
let context;
try {
  context = await chromium.launchPersistentContext(profile, {
    timeout: 60_000,
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  // Screenshots are for people reading a failure; one that cannot be taken must not cause one.
  const snap = async (name) => shots && page.screenshot({ path: join(shots, `${Date.now()}-${username}-${name}.png`) }).catch(() => undefined);
  const atCallback = () => {
    const here = new URL(page.url());
    return here.hostname === '127.0.0.1' && here.pathname === '/callback';
  };
  await page.goto(url, { timeout: 60_000 });
  // Sign-in, then consent, then the redirect to the loopback callback. Polled rather than chained on
  // navigation events: on a busy machine a check can land mid-navigation, which is not an error.
  const deadline = Date.now() + 75_000;
  let handled = '';
  while (!atCallback()) {
    if (Date.now() > deadline) {
      const text = await page.locator('body').innerText().catch(() => '');
      throw new Error(`no callback within 75 s; at ${page.url()}: ${text.slice(0, 300)}`);
    }
    let kind;
    try {
      if (await page.locator('#login-form').isVisible()) kind = 'sign-in';
      else if (await page.locator('#consent-form').isVisible()) kind = 'consent';
    } catch {
      kind = undefined;
    }
    // Each form once per page: a sign-in form shown again (wrong password) ends at the deadline with its text.
    if (!kind || handled === `${page.url()} ${kind}`) {
      await page.waitForTimeout(200);
      continue;
    }
    handled = `${page.url()} ${kind}`;
    record.pages.push(kind);
    if (kind === 'sign-in') {
      await page.fill('#username', username);
      await page.fill('#password', password);
      await snap('sign-in');
      await page.click('#login-form button[type=submit]', { timeout: 30_000 });
    } else {
      await snap('consent');
      await page.click('#consent-form button[value=approve]', { timeout: 30_000 });
    }
  }
  if (!atCallback()) throw new Error(`did not reach the callback; ended at ${page.url()}`);
  await page.waitForLoadState('load');
  record.callback = `${new URL(page.url()).origin}/callback`;
  record.callbackText = (await page.locator('body').innerText()).slice(0, 300);
  await snap('callback');
} catch (error) {
  record.error = String(error?.message ?? error);
  console.error(`chromium-sign-in: ${record.error}`);
  process.exitCode = 1;
} finally {
  await context?.close();
  rmSync(profile, { recursive: true, force: true });
  if (logFile) appendFileSync(logFile, `${JSON.stringify(record)}\n`);
}
