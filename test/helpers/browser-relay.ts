import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { browse, type BrowseOptions } from './dev-auth-browser.js';

const OPEN_SCRIPT = fileURLToPath(new URL('./browser-open.mjs', import.meta.url));

/** What the "browser" does with a URL the CLI opened. */
export type BrowserBehaviour = (url: URL) => Promise<void>;

export interface BrowserRelay {
  /** Environment for the CLI: `BROWSER` (a node script) and where it reports. */
  readonly env: Record<string, string>;
  /** Every URL the CLI asked to open, in order. */
  readonly opened: URL[];
  /** Errors the behaviour threw (a test should expect this to stay empty). */
  readonly failures: Error[];
  /** What happens to the next URLs. */
  behaviour: BrowserBehaviour;
  /** Resolves once every behaviour started so far has finished. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

async function body(req: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text;
}

/**
 * The test side of `BROWSER`: the CLI runs `node browser-open.mjs <url>`, which posts the URL here,
 * and `behaviour` plays the user — a scripted form walk, headless Chromium, or something hostile.
 */
export async function startBrowserRelay(behaviour: BrowserBehaviour): Promise<BrowserRelay> {
  const running: Promise<void>[] = [];
  const relay: BrowserRelay = {
    env: {},
    opened: [],
    failures: [],
    behaviour,
    settled: async () => {
      await Promise.all(running);
    },
    close: async () => undefined,
  };
  const server = createServer(async (req, res) => {
    const url = new URL(await body(req));
    relay.opened.push(url);
    running.push(relay.behaviour(url).catch((error: Error) => void relay.failures.push(error)));
    res.writeHead(204).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  Object.assign(relay.env, { BROWSER: `"${process.execPath}" "${OPEN_SCRIPT}"`, TODO_MCP_TEST_BROWSER_RELAY: `http://127.0.0.1:${port}/` });
  relay.close = async () => {
    await relay.settled();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
  return relay;
}

const isLoopbackCallback = (url: URL) => url.hostname === '127.0.0.1' && url.pathname === '/callback';

/**
 * Signs in on the development server's real pages (sign-in form, consent when shown), then lands on
 * the CLI's loopback callback as a browser would, and checks the page it shows.
 */
export function signInWithForm(user: Pick<BrowseOptions, 'username' | 'password' | 'consent'>): BrowserBehaviour {
  return async (url) => {
    const walk = await browse(url, { ...user, isCallback: isLoopbackCallback });
    if (!walk.callbackUrl) throw new Error(`sign-in did not reach the callback; pages: ${walk.pages.join(', ')}; ended at ${walk.finalPage?.url} (${walk.finalPage?.status})`);
    await landOnCallback(walk.callbackUrl);
  };
}

/** GET the loopback callback, as the browser does after the redirect. */
export async function landOnCallback(callback: URL): Promise<{ status: number; html: string }> {
  const response = await fetch(callback);
  return { status: response.status, html: await response.text() };
}

/** Like curl -L: follows redirects from the authorization URL, straight to the callback (servers that skip sign-in). */
export const followRedirects: BrowserBehaviour = async (url) => {
  await (await fetch(url)).arrayBuffer();
};
