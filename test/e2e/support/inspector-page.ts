import type { Page } from 'playwright-core';

/**
 * The MCP Inspector 2.12 web UI as a user drives it. Selectors are the UI's own roles, labels and
 * `data-testid`s, found by dumping its DOM; when a new Inspector release moves them these helpers
 * fail loudly (timeouts name the selector) rather than passing.
 */

const STEP_MS = 30_000;

/** The connect/disconnect control of the (only) server card. */
export async function toggleConnection(page: Page): Promise<void> {
  // Mantine draws its track over the real checkbox, so a normal click is "intercepted"; this is the
  // same input a user's click reaches.
  await page.getByRole('switch', { name: /Connect or disconnect/ }).click({ force: true, timeout: STEP_MS });
}

/** Waits for the header's connection status (`connected`, `disconnected`, …). */
export async function waitForStatus(page: Page, status: string): Promise<void> {
  await page.locator(`[data-testid=connection-status][data-status=${status}]`).waitFor({ timeout: STEP_MS });
}

/** One row of the Inspector's Network panel (its own requests: transport and OAuth). */
export interface NetworkEntry {
  method: string;
  status: number;
  url: string;
}

/** Reads the Network panel, oldest request first. */
export async function readNetworkLog(page: Page): Promise<NetworkEntry[]> {
  await page.getByText('Network', { exact: true }).first().click();
  await page.getByText(/^Requests \(\d+\)$/).waitFor({ timeout: STEP_MS });
  const body = await page.locator('body').innerText();
  const text = body.slice(body.search(/^Requests \(\d+\)$/m));
  const entries: NetworkEntry[] = [];
  // Each entry reads: time, method, kind badges, duration, [SSE], "200 OK", copy icon, URL.
  for (const block of text.split(/^\d\d:\d\d:\d\d$/m).slice(1)) {
    const lines = block.split('\n').map((l) => l.trim()).filter(Boolean);
    const method = lines.find((l) => /^(GET|POST|DELETE|PUT|OPTIONS)$/.test(l));
    const status = lines.find((l) => /^\d{3}\b/.test(l));
    const url = lines.find((l) => /^https?:\/\//.test(l));
    if (method && status && url) entries.push({ method, status: Number(status.slice(0, 3)), url });
  }
  await page.getByText('Protocol', { exact: true }).first().click();
  return entries.reverse();
}

/** The OAuth part of "Connection Info" as label → value (never includes the token itself). */
export async function readOAuthDetails(page: Page): Promise<Record<string, string>> {
  await openConnectionInfo(page);
  const dialog = page.getByRole('dialog');
  const text = await dialog.innerText();
  const start = text.indexOf('OAuth Details');
  const lines = text.slice(start).split('\n').map((l) => l.trim()).filter(Boolean);
  const details: Record<string, string> = {};
  for (const label of ['Status', 'Client registration', 'Scopes', 'Client ID']) {
    const at = lines.indexOf(label);
    if (at >= 0 && lines[at + 1]) details[label] = lines[at + 1]!;
  }
  await page.keyboard.press('Escape');
  return details;
}

async function openConnectionInfo(page: Page): Promise<void> {
  await page.getByText('Servers', { exact: true }).first().click();
  await page.getByText('Connection Info', { exact: true }).click({ timeout: STEP_MS });
  await page.getByRole('dialog').getByText('OAuth Details').waitFor({ timeout: STEP_MS });
}

/** "Clear OAuth state and disconnect": the Inspector forgets the token and its client registration. */
export async function clearOAuthAndDisconnect(page: Page): Promise<void> {
  await openConnectionInfo(page);
  await page.getByRole('button', { name: 'Clear OAuth state and disconnect' }).click();
  await page.getByText('OAuth state cleared').waitFor({ timeout: STEP_MS });
}

/**
 * A catalog server's Settings → OAuth Settings, as a user fills them for an authorization server
 * without dynamic registration (Logto): Client ID and Scopes typed in. Returns the Redirect URI the
 * dialog shows (the one to register). Assumes the catalog holds one server.
 */
export async function enterOAuthClient(page: Page, client: { clientId: string; scopes: string }, beforeClosing?: () => Promise<unknown>): Promise<string> {
  await page.getByRole('button', { name: 'Settings', exact: true }).first().click();
  const dialog = page.getByRole('dialog');
  await dialog.getByText('OAuth Settings', { exact: true }).click();
  await dialog.getByRole('textbox', { name: 'Client ID', exact: true }).fill(client.clientId);
  await dialog.getByRole('textbox', { name: 'Scopes', exact: true }).fill(client.scopes);
  const redirectUri = await dialog.getByRole('textbox', { name: 'Redirect URI', exact: true }).inputValue();
  await beforeClosing?.();
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden', timeout: STEP_MS });
  return redirectUri;
}

/** Opens the Tools tab and returns the listed tool names (the small print under each title). */
export async function listTools(page: Page): Promise<{ count: number; names: string[] }> {
  await page.getByText('Tools', { exact: true }).first().click();
  const screen = page.locator('[data-testid=tools-screen]');
  await screen.waitFor({ timeout: STEP_MS });
  const count = Number(await screen.getAttribute('data-tool-count'));
  const names = await screen.locator('button.list-item p:nth-child(2)').allInnerTexts();
  return { count, names: names.map((n) => n.trim()) };
}

export interface ToolRun {
  /** The tools screen's call status after the call (`ok` also covers a tool that answered isError). */
  status: string | null;
  /** The Inspector shows "Tool Error" for an `isError` result. */
  isError: boolean;
  /** The text content block as displayed. */
  text: string;
  /** The structured output, parsed (undefined when none is shown). */
  structured: unknown;
}

/** Selects a tool, fills its form fields (by label) and presses "Execute Tool". */
export async function runTool(page: Page, name: string, args: Record<string, string> = {}): Promise<ToolRun> {
  const screen = page.locator('[data-testid=tools-screen]');
  if (!(await screen.isVisible())) await page.getByText('Tools', { exact: true }).first().click();
  await page.getByRole('button', { name: new RegExp(`\\b${name}$`) }).click();
  // Re-selecting the tool whose result is open keeps the result: close it to get the form back.
  const close = page.getByRole('button', { name: 'Close results' });
  if (await close.isVisible()) await close.click();
  const execute = page.getByRole('button', { name: 'Execute Tool' });
  await execute.waitFor({ timeout: STEP_MS });
  for (const [field, value] of Object.entries(args)) {
    await page.getByRole('textbox', { name: new RegExp(`^${field}\\b`) }).fill(value);
  }
  await execute.click();
  await execute.waitFor({ state: 'hidden', timeout: STEP_MS });
  await page.locator('[data-testid=tools-screen]:not([data-call-status=pending])').waitFor({ timeout: STEP_MS });
  const isError = await screen.getByText('Tool Error', { exact: true }).isVisible();
  const text = isError ? await screen.innerText() : await screen.locator('pre').first().innerText();
  const output = screen.locator('[data-testid=structured-output] .ace_editor');
  const structured = (await output.count()) ? JSON.parse(await output.evaluate(readAceValue)) : undefined;
  return { status: await screen.getAttribute('data-call-status'), isError, text: text.trim(), structured };
}

// Ace keeps the document on the element; reading it avoids scraping line numbers or virtualised lines.
function readAceValue(element: unknown): string {
  return (element as { env: { editor: { getValue(): string } } }).env.editor.getValue();
}
