import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { ChalkInstance } from 'chalk';
import { checkStructuredContent } from '../client/check-structured-content.js';
import { listAllTools } from '../client/list-all-tools.js';
import { withMcpSession } from '../client/mcp-session.js';
import { resolveClientEnvironment, type LoginFlags } from './client-settings.js';
import { withLoginHint } from './client-errors.js';
import { formatTable, recordList } from './client-format.js';
import { painter } from './painter.js';
import { sessionLogin } from './client-login-flow.js';
import { buildToolArguments, type ToolInputSchema } from './client-tool-arguments.js';
import { CliError, EXIT } from './cli-error.js';
import type { CliContext } from './context.js';

export interface CallOptions extends LoginFlags {
  tool: string;
  /** key=value words (a trailing server URL is already taken off, as `server`). */
  pairs: string[];
  /** --args: a JSON object. */
  args?: string | undefined;
  json?: boolean;
  /** false with --no-login. */
  login?: boolean;
}

/** `todo-mcp call <tool> [key=value …]`: one tool call, logging in first when needed (unless --no-login). */
export async function callCommand(options: CallOptions, ctx: CliContext): Promise<number> {
  const { pairs } = options;
  const env = resolveClientEnvironment(options, ctx);
  const paint = painter(ctx.stdout, ctx.env);
  let result: CallToolResult;
  try {
    result = await withMcpSession(
      {
        serverUrl: env.serverUrl,
        store: env.store,
        ...(options.login === false ? {} : { login: sessionLogin(env, options, ctx, painter(ctx.stderr, ctx.env)) }),
      },
      async (client) => {
        const tools = await listAllTools(client);
        const tool = tools.find((t) => t.name === options.tool);
        if (!tool) {
          throw new CliError('usage', `${env.serverUrl} has no tool ${JSON.stringify(options.tool)}. Its tools: ${tools.map((t) => t.name).join(', ') || '(none)'}.`);
        }
        const args = buildToolArguments(tool.inputSchema as ToolInputSchema, pairs, options.args);
        const called = await client.callTool(tool.name, args);
        await checkStructuredContent(tool, called);
        return called;
      },
    );
  } catch (error) {
    throw withLoginHint(error, env.serverUrl);
  }

  if (options.json) {
    ctx.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } else if (result.isError) {
    ctx.stderr.write(`todo-mcp: ${options.tool} failed: ${contentText(result) || '(no message)'}\n`);
  } else {
    ctx.stdout.write(`${formatResult(result, paint).join('\n')}\n`);
  }
  return result.isError ? EXIT.toolError : EXIT.ok;
}

function contentText(result: CallToolResult): string {
  return result.content
    .map((item) => {
      if (item.type === 'text') return item.text;
      if (item.type === 'resource_link') return `[resource ${item.uri}]`;
      if (item.type === 'resource') return `[resource ${item.resource.uri}]`;
      return `[${item.type}${'mimeType' in item ? ` ${item.mimeType}` : ''}]`;
    })
    .join('\n');
}

/** A table when the result holds one list of records (get-todos), otherwise the text content. */
function formatResult(result: CallToolResult, paint: ChalkInstance): string[] {
  const records = recordList(result.structuredContent);
  if (records && records.length > 0) return formatTable(records, paint);
  return [contentText(result)];
}
