import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import type { McpClient } from './mcp-client.js';

/** Every tool of the server, following `nextCursor` (at most `maxPages` pages, so a looping cursor cannot hang us). */
export async function listAllTools(client: McpClient, maxPages = 100): Promise<Tool[]> {
  const tools: Tool[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < maxPages; page += 1) {
    const result = await client.listTools(cursor);
    tools.push(...result.tools);
    cursor = result.nextCursor;
    if (!cursor) break;
  }
  return tools;
}
