import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { ClientError } from '../client/client-error.js';
import { recordList } from './client-format.js';
import type { ToolInputSchema } from './client-tool-arguments.js';

/** Most pages `call --all` follows: with get-todos' largest page (1,000) that is a million todos. */
export const MAX_PAGES = 1_000;

/**
 * A paged tool takes a `cursor` argument and answers `nextCursor` (in structured content) while more
 * follows, as get-todos does; the CLI then shows one page with a hint, or follows the cursors (`--all`).
 */
export function isPagedTool(schema: ToolInputSchema): boolean {
  return schema.properties?.cursor !== undefined;
}

/** The cursor of the page after `result`, if the tool says one follows. */
export function nextCursorOf(result: CallToolResult): string | undefined {
  const cursor = (result.structuredContent as { nextCursor?: unknown } | undefined)?.nextCursor;
  return !result.isError && typeof cursor === 'string' && cursor !== '' ? cursor : undefined;
}

/** `--all` asks for the largest pages the tool allows, unless the caller chose a limit. */
export function largestPage(schema: ToolInputSchema, args: Record<string, unknown>): Record<string, unknown> {
  const maximum = (schema.properties?.limit as { maximum?: unknown } | undefined)?.maximum;
  return 'limit' in args || typeof maximum !== 'number' ? args : { ...args, limit: maximum };
}

/**
 * Calls page after page, following nextCursor, until none follows, a page fails, or MAX_PAGES; returns
 * the pages and the cursor left over (set only when it stopped at the bound). A server that hands back the
 * cursor it was just given would loop forever: that is a protocol error.
 */
export async function followPages(
  callPage: (args: Record<string, unknown>) => Promise<CallToolResult>,
  first: CallToolResult,
  args: Record<string, unknown>,
): Promise<{ pages: CallToolResult[]; leftOver: string | undefined }> {
  const pages = [first];
  let cursor = nextCursorOf(first);
  while (cursor !== undefined && pages.length < MAX_PAGES) {
    const page = await callPage({ ...args, cursor });
    pages.push(page);
    const next = nextCursorOf(page);
    if (next === cursor) throw new ClientError('protocol_violation', `The server answered the cursor ${cursor} with the same cursor again; stopped after ${pages.length} pages.`);
    cursor = next;
    if (page.isError) break;
  }
  return { pages, leftOver: cursor };
}

/** One result holding every page's records (the list each page carries, in order), for the table. */
export function mergePages(pages: readonly CallToolResult[]): CallToolResult {
  const last = pages[pages.length - 1]!;
  if (pages.length === 1 || last.isError) return last;
  const first = pages[0]!;
  const key = Object.entries(first.structuredContent ?? {}).find(([, value]) => value === recordList(first.structuredContent))?.[0];
  if (key === undefined) return last;
  const records = pages.flatMap((page) => recordList(page.structuredContent) ?? []);
  const { nextCursor: _dropped, ...rest } = first.structuredContent as Record<string, unknown>;
  return { ...first, structuredContent: { ...rest, [key]: records } };
}

const SAFE_WORD = /^[A-Za-z0-9_\-.,:/=@%+]+$/;

/** A word a POSIX shell reads back as is. */
function shellWord(word: string): string {
  return SAFE_WORD.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}

/**
 * The exact command that shows the next page: the same call with `cursor=` set to the next cursor, the
 * server spelled out (whether it came from a flag, the environment or the config file).
 */
export function nextPageCommand(input: {
  tool: string;
  pairs: readonly string[];
  cursor: string;
  server: string;
  options: { config?: string | undefined; args?: string | undefined; login?: boolean };
}): string {
  const { options } = input;
  const words = ['todo-mcp', 'call', input.tool, ...input.pairs.filter((pair) => !pair.startsWith('cursor=')), `cursor=${input.cursor}`];
  if (options.args !== undefined) words.push('--args', options.args);
  words.push('--server', input.server);
  if (options.config !== undefined) words.push('--config', options.config);
  if (options.login === false) words.push('--no-login');
  return words.map(shellWord).join(' ');
}
