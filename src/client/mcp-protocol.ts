import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import { VERSION } from '../config/version.js';
import { McpProtocolViolation } from './mcp-errors.js';

/** The MCP revision this client asks for in `initialize`. */
export const LATEST_PROTOCOL_VERSION = '2025-11-25';

/**
 * Revisions whose tools methods this client speaks: the SDK's list (a test holds the two equal, so an SDK
 * upgrade that adds a revision fails until this client is checked against it). Copied, not imported: the
 * SDK's types module loads zod, which costs more than the whole `call` start-up budget.
 */
export const SUPPORTED_PROTOCOL_VERSIONS: readonly string[] = [LATEST_PROTOCOL_VERSION, '2025-06-18', '2025-03-26', '2024-11-05', '2024-10-07'];

/** The `initialize` params this client sends (it offers no client capabilities). Default clientInfo: todo-mcp and its package.json version. */
export function initializeParams(clientInfo: { name: string; version: string } = { name: 'todo-mcp', version: VERSION }) {
  return { protocolVersion: LATEST_PROTOCOL_VERSION, capabilities: {}, clientInfo };
}

/** What `initialize` told us about the server. */
export interface InitializeResult {
  readonly protocolVersion: string;
  readonly serverInfo?: { readonly name: string; readonly version: string };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/*
 * The checks below are the shape the CLI relies on, not the full schema: the SDK's zod schemas would
 * check more, but loading them costs more than the whole `todo-mcp call` start-up budget.
 */

export function parseInitializeResult(value: unknown): InitializeResult {
  if (!isObject(value) || typeof value.protocolVersion !== 'string') {
    throw new McpProtocolViolation('its initialize result has no protocolVersion');
  }
  if (!SUPPORTED_PROTOCOL_VERSIONS.includes(value.protocolVersion)) {
    throw new McpProtocolViolation(
      `it speaks MCP ${value.protocolVersion}; todo-mcp speaks ${SUPPORTED_PROTOCOL_VERSIONS.join(', ')}`,
    );
  }
  const info = value.serverInfo;
  const serverInfo = isObject(info) && typeof info.name === 'string' ? { name: info.name, version: String(info.version ?? '') } : undefined;
  return { protocolVersion: value.protocolVersion, ...(serverInfo ? { serverInfo } : {}) };
}

export function parseListToolsResult(value: unknown): { tools: Tool[]; nextCursor?: string } {
  if (!isObject(value) || !Array.isArray(value.tools)) throw new McpProtocolViolation('its tools/list result has no tools array');
  for (const tool of value.tools) {
    if (!isObject(tool) || typeof tool.name !== 'string' || !isObject(tool.inputSchema)) {
      throw new McpProtocolViolation('its tools/list result holds a tool without a name or an inputSchema object');
    }
    if (tool.outputSchema !== undefined && !isObject(tool.outputSchema)) {
      throw new McpProtocolViolation(`its tool ${JSON.stringify(tool.name)} has an outputSchema that is not an object`);
    }
  }
  if (value.nextCursor !== undefined && typeof value.nextCursor !== 'string') {
    throw new McpProtocolViolation('its tools/list result has a nextCursor that is not a string');
  }
  return value as { tools: Tool[]; nextCursor?: string };
}

export function parseCallToolResult(value: unknown): CallToolResult {
  if (!isObject(value) || !Array.isArray(value.content)) throw new McpProtocolViolation('its tools/call result has no content array');
  if (!value.content.every((item) => isObject(item) && typeof item.type === 'string')) {
    throw new McpProtocolViolation('its tools/call result holds content without a type');
  }
  if (value.isError !== undefined && typeof value.isError !== 'boolean') {
    throw new McpProtocolViolation('its tools/call result has an isError that is not a boolean');
  }
  if (value.structuredContent !== undefined && !isObject(value.structuredContent)) {
    throw new McpProtocolViolation('its tools/call result has structuredContent that is not an object');
  }
  return value as CallToolResult;
}
