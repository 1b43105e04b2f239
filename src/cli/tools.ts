import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import type { ChalkInstance } from 'chalk';
import { listAllTools } from '../client/list-all-tools.js';
import { withMcpSession } from '../client/mcp-session.js';
import { resolveClientEnvironment, type LoginFlags, type RequestFlags } from './client-settings.js';
import { withLoginHint } from './client-errors.js';
import { painter } from './painter.js';
import { sessionOptions } from './client-login-flow.js';
import { EXIT } from './cli-error.js';
import type { CliContext } from './context.js';

export interface ToolsOptions extends LoginFlags, RequestFlags {
  json?: boolean;
  /** false with --no-login. */
  login?: boolean;
}

/** `todo-mcp tools`: names, descriptions and input schemas of the server's tools. */
export async function toolsCommand(options: ToolsOptions, ctx: CliContext): Promise<number> {
  const env = resolveClientEnvironment(options, ctx);
  let tools: Tool[];
  try {
    tools = await withMcpSession(
      sessionOptions(env, options, ctx),
      (client) => listAllTools(client),
    );
  } catch (error) {
    throw withLoginHint(error, env.serverUrl);
  }
  if (options.json) {
    const list = tools.map(({ name, title, description, inputSchema }) => ({ name, title, description, inputSchema }));
    ctx.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
  } else {
    const paint = painter(ctx.stdout, ctx.env);
    ctx.stdout.write(`${tools.flatMap((tool) => describeTool(tool, paint)).join('\n')}\n`);
  }
  return EXIT.ok;
}

function describeTool(tool: Tool, paint: ChalkInstance): string[] {
  const schema = tool.inputSchema as { properties?: Record<string, { type?: unknown; description?: unknown }>; required?: string[] };
  const required = new Set(schema.required ?? []);
  const args = Object.entries(schema.properties ?? {}).map(([name, property]) => {
    const type = Array.isArray(property.type) ? property.type.join('|') : String(property.type ?? 'any');
    const description = typeof property.description === 'string' ? `  ${property.description}` : '';
    return `    ${name}=<${type}>${required.has(name) ? '' : ' (optional)'}${description}`;
  });
  return [paint.bold(tool.name), ...(tool.description ? [`  ${tool.description}`] : []), ...(args.length ? ['  arguments:', ...args] : ['  no arguments']), ''];
}
