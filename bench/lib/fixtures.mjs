import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Todos every server starts with, so get-todos answers the same list (and the same bytes) everywhere. */
export const SEED_COUNT = 10;
/** The protocol version the bench speaks (the SDK's latest). */
export const PROTOCOL_VERSION = '2025-11-25';

const SEED_EPOCH = Date.parse('2026-01-01T00:00:00.000Z');

/** `count` todos spread over `owners` owners, oldest first, shaped as the JSON store keeps them. */
export function makeTodos(count, { owners = 1, ownerPrefix = 'bench-user', contentPrefix = 'Seed todo' } = {}) {
  return Array.from({ length: count }, (_, i) => ({
    id: randomUUID(),
    content: `${contentPrefix} ${i + 1}`,
    ownerId: owners === 1 ? ownerPrefix : `${ownerPrefix}-${i % owners}`,
    createdAt: new Date(SEED_EPOCH + i * 1000).toISOString(),
  }));
}

/** Writes a todo-mcp data file holding `todos`, as if the store had written it. */
export async function writeTodoFile(file, todos) {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  await writeFile(file, JSON.stringify({ todos }), { mode: 0o600 });
}

/** The get-todos result todo-mcp returns for a caller who may see every todo (same shape and text). */
export function getTodosResult(todos) {
  const text = todos.length === 0 ? 'No todos.' : todos.map((t) => `${t.id}  ${t.content}`).join('\n');
  // One page: todo-mcp's first page for at most 100 todos has no nextCursor.
  return { content: [{ type: 'text', text }], structuredContent: { todos, scope: 'all' } };
}

/** Stands for the JSON-RPC id in a request body: the load gives every request it sends a number of its own. */
export const UNIQUE_ID = '<unique-id>';

/** A JSON-RPC tools/call request body; by default each request sent gets its own id, as a client's would. */
export function toolsCallBody(name, args = {}, id = UNIQUE_ID) {
  return JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } });
}

/** The request each tool row sends (create-todo writes a short text, like a user would). */
export const TOOL_REQUESTS = {
  'get-todos': toolsCallBody('get-todos'),
  'create-todo': toolsCallBody('create-todo', { content: 'Buy milk and bread' }),
};

/** Headers every MCP POST carries (Streamable HTTP requires both media types in Accept). */
export const MCP_HEADERS = {
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
  'mcp-protocol-version': PROTOCOL_VERSION,
};

/** A successful tool call: a JSON-RPC result that is not a tool error (works for JSON and SSE bodies). */
export function isToolSuccess(body) {
  const text = String(body);
  return text.includes('"result"') && !text.includes('"isError":true');
}
