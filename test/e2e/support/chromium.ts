import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium; `.ci/run` installs it. A browser is never downloaded. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Flags for Chromium as root in a container without a GPU or network. */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];

/** Screenshots land here (gitignored), one folder per suite. */
export const ARTIFACTS_ROOT = fileURLToPath(new URL('../../../test-artifacts/e2e/', import.meta.url));

export interface TestBrowser {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Saves `<suite>/<NN>-<name>.png` under test-artifacts/e2e and returns its path. */
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

/** Fails with a clear message instead of a launch error deep inside playwright. */
export function requireChromium(): void {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`${CHROMIUM_PATH} is missing: install Debian's chromium package (.ci/run does).`);
}

/** Headless Chromium with a fresh profile (no cookies, no stored logins) for one suite. */
export async function launchTestBrowser(suite: string): Promise<TestBrowser> {
  requireChromium();
  const profile = await mkdtemp(join(tmpdir(), 'todo-mcp-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1400, height: 900 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const dir = join(ARTIFACTS_ROOT, suite);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  let count = 0;
  return {
    context,
    page,
    async screenshot(name) {
      count += 1;
      const path = join(dir, `${String(count).padStart(2, '0')}-${name}.png`);
      await page.screenshot({ path });
      return path;
    },
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
