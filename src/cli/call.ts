import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { ChalkInstance } from 'chalk';
import { checkStructuredContent } from '../client/check-structured-content.js';
import { listAllTools } from '../client/list-all-tools.js';
import { withMcpSession } from '../client/mcp-session.js';
import type { TokenEntry } from '../client/token-store.js';
import { resolveClientEnvironment, type LoginFlags, type RequestFlags } from './client-settings.js';
import { withLoginHint } from './client-errors.js';
import { formatTable, recordList } from './client-format.js';
import { painter } from './painter.js';
import { sessionOptions } from './client-login-flow.js';
import { buildToolArguments, type ToolInputSchema } from './client-tool-arguments.js';
import { followPages, isPagedTool, largestPage, MAX_PAGES, mergePages, nextCursorOf, nextPageCommand } from './call-pages.js';
import { CliError, EXIT } from './cli-error.js';
import type { CliContext } from './context.js';
import { labelOwnRecords } from './user-label.js';

export interface CallOptions extends LoginFlags, RequestFlags {
  tool: string;
  /** key=value words (a trailing server URL is already taken off, as `server`). */
  pairs: string[];
  /** --args: a JSON object. */
  args?: string | undefined;
  json?: boolean;
  /** false with --no-login. */
  login?: boolean;
  /** Follow the tool's nextCursor through every page (at most MAX_PAGES) and show them together. */
  all?: boolean;
}

/** `todo-mcp call <tool> [key=value …]`: one tool call, logging in first when needed (unless --no-login). */
export async function callCommand(options: CallOptions, ctx: CliContext): Promise<number> {
  const { pairs } = options;
  const env = resolveClientEnvironment(options, ctx);
  const paint = painter(ctx.stdout, ctx.env);
  let result: CallToolResult;
  let pages: CallToolResult[] = [];
  let leftOver: string | undefined;
  let login: TokenEntry | undefined;
  try {
    result = await withMcpSession(
      sessionOptions(env, options, ctx),
      async (client, entry) => {
        login = entry;
        const tools = await listAllTools(client);
        const tool = tools.find((t) => t.name === options.tool);
        if (!tool) {
          throw new CliError('usage', `${env.serverUrl} has no tool ${JSON.stringify(options.tool)}. Its tools: ${tools.map((t) => t.name).join(', ') || '(none)'}.`);
        }
        const schema = tool.inputSchema as ToolInputSchema;
        const built = buildToolArguments(schema, pairs, options.args);
        const paged = options.all === true && isPagedTool(schema);
        const args = paged ? largestPage(schema, built) : built;
        const callPage = async (pageArgs: Record<string, unknown>) => {
          const called = await client.callTool(tool.name, pageArgs);
          await checkStructuredContent(tool, called);
          return called;
        };
        const first = await callPage(args);
        if (!paged) return first;
        ({ pages, leftOver } = await followPages(callPage, first, args));
        return mergePages(pages);
      },
    );
  } catch (error) {
    throw withLoginHint(error, env.serverUrl);
  }

  if (options.json) {
    // --all: every page's result as it came, so a script sees exactly what the server said.
    ctx.stdout.write(`${JSON.stringify(options.all && pages.length > 1 ? pages : result, null, 2)}\n`);
  } else if (result.isError) {
    ctx.stderr.write(`todo-mcp: ${options.tool} failed: ${contentText(result) || '(no message)'}\n`);
  } else {
    ctx.stdout.write(`${formatResult(result, paint, login).join('\n')}\n`);
  }
  // One page shown and more to come: say how to get the next (the hint goes to stderr, the data to stdout).
  const next = options.all ? leftOver : nextCursorOf(result);
  if (next !== undefined && !options.json) {
    const command = nextPageCommand({ tool: options.tool, pairs, cursor: next, server: env.serverUrl, options });
    const why = options.all ? `stopped after ${MAX_PAGES} pages; ` : '';
    const hint = painter(ctx.stderr, ctx.env);
    ctx.stderr.write(`${hint.dim(`more: ${why}${command}${options.all ? '' : '   (or add --all for every page)'}`)}\n`);
  }
  return result.isError ? EXIT.toolError : EXIT.ok;
}

/** Each content block in words: text as it is, other kinds (checked by the client, so complete) as a bracketed note. */
function contentText(result: CallToolResult): string {
  return result.content
    .map((item) => {
      switch (item.type) {
        case 'text':
          return item.text;
        case 'image':
        case 'audio':
          return `[${item.type} ${item.mimeType}, ${Buffer.byteLength(item.data, 'base64')} bytes]`;
        case 'resource_link':
          return `[resource link ${item.uri}${item.name ? ` (${item.name})` : ''}]`;
        case 'resource':
          return 'text' in item.resource && typeof item.resource.text === 'string'
            ? item.resource.text
            : `[resource ${item.resource.uri}${item.resource.mimeType ? ` ${item.resource.mimeType}` : ''}, binary]`;
        default:
          return `[${(item as { type: string }).type}]`;
      }
    })
    .join('\n');
}

/** A table when the result holds one list of records (get-todos; your own shown with your name), otherwise the text content. */
function formatResult(result: CallToolResult, paint: ChalkInstance, login: TokenEntry | undefined): string[] {
  const records = recordList(result.structuredContent);
  if (records && records.length > 0) return formatTable(labelOwnRecords(records, login), paint);
  return [contentText(result)];
}
