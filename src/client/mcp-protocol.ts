import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import { VERSION } from '../config/version.js';
import { checkContentBlock, checkIcons } from './mcp-content.js';
import { McpProtocolViolation } from './mcp-errors.js';
import { array, boolean, meta, object, optional, problem, shaped, string, stringArray, wrong, type JsonObject, type Path } from './mcp-shape.js';

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
  readonly serverInfo: { readonly name: string; readonly version: string };
  /** What the server offers (tools, logging, …), as it said. */
  readonly capabilities: JsonObject;
  readonly instructions?: string;
}

/*
 * The results this client reads, checked as the SDK's schemas check them (see mcp-shape.ts for why by hand).
 */

/** `initialize`: a version this client speaks, the server's capabilities and its name and version. */
export function parseInitializeResult(value: JsonObject): InitializeResult {
  const result = shaped('initialize result', () => {
    string(value, 'protocolVersion', 'result');
    const capabilities = object(value.capabilities, 'result.capabilities');
    for (const key of ['logging', 'completions', 'experimental', 'tasks', 'extensions']) optional(capabilities, key, 'result.capabilities', object);
    for (const [key, flags] of [['prompts', ['listChanged']], ['resources', ['subscribe', 'listChanged']], ['tools', ['listChanged']]] as const) {
      optional(capabilities, key, 'result.capabilities', (entry, at) => {
        const offered = object(entry, at);
        for (const flag of flags) optional(offered, flag, at, boolean);
      });
    }
    const info = object(value.serverInfo, 'result.serverInfo');
    string(info, 'name', 'result.serverInfo');
    string(info, 'version', 'result.serverInfo');
    for (const key of ['title', 'websiteUrl', 'description']) string(info, key, 'result.serverInfo', true);
    optional(info, 'icons', 'result.serverInfo', checkIcons);
    string(value, 'instructions', 'result', true);
    meta(value, 'result');
    return { protocolVersion: value.protocolVersion as string, capabilities, serverInfo: { name: info.name as string, version: info.version as string } };
  });
  if (!SUPPORTED_PROTOCOL_VERSIONS.includes(result.protocolVersion)) {
    throw new McpProtocolViolation(`it speaks MCP ${result.protocolVersion}; todo-mcp speaks ${SUPPORTED_PROTOCOL_VERSIONS.join(', ')}`);
  }
  return { ...result, ...(typeof value.instructions === 'string' ? { instructions: value.instructions } : {}) };
}

const TASK_SUPPORT: readonly unknown[] = ['required', 'optional', 'forbidden'];

/** An input or output schema: a JSON Schema object whose root `type` is "object" (what MCP requires). */
function checkToolSchema(value: unknown, path: Path): void {
  const schema = object(value, path);
  if (schema.type !== 'object') problem(`${path}.type`, wrong(schema.type, '"object"'));
  optional(schema, 'properties', path, (properties, at) => {
    for (const [name, property] of Object.entries(object(properties, at))) object(property, `${at}.${name}`);
  });
  optional(schema, 'required', path, stringArray);
}

function checkTool(value: unknown, path: Path): void {
  const tool = object(value, path);
  string(tool, 'name', path);
  string(tool, 'title', path, true);
  string(tool, 'description', path, true);
  checkToolSchema(tool.inputSchema, `${path}.inputSchema`);
  optional(tool, 'outputSchema', path, checkToolSchema);
  optional(tool, 'annotations', path, (annotations, at) => {
    const hints = object(annotations, at);
    string(hints, 'title', at, true);
    for (const hint of ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint']) optional(hints, hint, at, boolean);
  });
  optional(tool, 'execution', path, (execution, at) =>
    optional(object(execution, at), 'taskSupport', at, (support, where) => {
      if (!TASK_SUPPORT.includes(support)) problem(where, wrong(support, '"required", "optional" or "forbidden"'));
    }),
  );
  optional(tool, 'icons', path, checkIcons);
  meta(tool, path);
}

/** `tools/list`: an array of tools (name, object input schema, …) and an optional string cursor. */
export function parseListToolsResult(value: JsonObject): { tools: Tool[]; nextCursor?: string } {
  return shaped('tools/list result', () => {
    array(value.tools, 'result.tools').forEach((tool, i) => checkTool(tool, `result.tools[${i}]`));
    string(value, 'nextCursor', 'result', true);
    meta(value, 'result');
    return value as { tools: Tool[]; nextCursor?: string };
  });
}

/**
 * `tools/call`: content blocks of the kinds MCP defines (absent content counts as none, as in the SDK),
 * structured content that is an object, isError a boolean.
 */
export function parseCallToolResult(value: JsonObject): CallToolResult {
  return shaped('tools/call result', () => {
    const content = value.content === undefined ? [] : array(value.content, 'result.content');
    content.forEach((block, i) => checkContentBlock(block, `result.content[${i}]`));
    optional(value, 'structuredContent', 'result', object);
    optional(value, 'isError', 'result', boolean);
    meta(value, 'result');
    return { ...value, content } as CallToolResult;
  });
}
