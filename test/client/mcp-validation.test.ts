import { describe, expect, it } from 'vitest';
import type { ZodType } from 'zod';
import { CallToolResultSchema, InitializeResultSchema, JSONRPCMessageSchema, ListToolsResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { McpProtocolViolation } from '../../src/client/mcp-errors.js';
import { parseJsonRpcMessage } from '../../src/client/mcp-messages.js';
import { parseCallToolResult, parseInitializeResult, parseListToolsResult } from '../../src/client/mcp-protocol.js';

/*
 * The client checks messages by hand (zod costs too much start-up); the SDK's zod schemas (MCP 2025-11-25)
 * are the reference. Every case below goes through both: the verdicts must agree, and each refusal must
 * say where the fault is.
 */

const PNG = Buffer.from('\x89PNG\r\n\x1a\n').toString('base64');

/** [name, value, for a refusal: a piece of the message naming the fault]. */
type Case = [string, unknown, string?];

function verdicts(cases: Case[], schema: ZodType, ours: (value: never) => unknown) {
  for (const [name, value, fault] of cases) {
    const sdk = schema.safeParse(value).success;
    let error: unknown;
    try {
      ours(structuredClone(value) as never);
    } catch (caught) {
      error = caught;
    }
    expect({ name, valid: error === undefined }, `SDK says ${sdk ? 'valid' : 'invalid'}`).toEqual({ name, valid: sdk });
    if (fault !== undefined) {
      expect(error, name).toBeInstanceOf(McpProtocolViolation);
      expect((error as Error).message, name).toContain(fault);
    } else if (error !== undefined) {
      throw error;
    }
  }
}

const annotations = { audience: ['user', 'assistant'], priority: 0.5, lastModified: '2025-11-25T10:00:00Z' };

describe('tools/call results, checked as the SDK checks them', () => {
  it('accepts every content variant MCP defines', () => {
    verdicts(
      [
        ['text', { content: [{ type: 'text', text: 'hi', annotations, _meta: { a: 1 } }] }],
        ['image', { content: [{ type: 'image', data: PNG, mimeType: 'image/png' }] }],
        ['audio', { content: [{ type: 'audio', data: PNG, mimeType: 'audio/wav', annotations: { priority: 1 } }] }],
        ['resource link', { content: [{ type: 'resource_link', uri: 'file:///a.txt', name: 'a', title: 'A', size: 3, mimeType: 'text/plain', icons: [{ src: 'https://x/i.png', sizes: ['48x48'], theme: 'dark' }], annotations }] }],
        ['embedded text', { content: [{ type: 'resource', resource: { uri: 'file:///a.txt', mimeType: 'text/plain', text: 'hello' }, annotations }] }],
        ['embedded blob', { content: [{ type: 'resource', resource: { uri: 'file:///a.png', blob: PNG } }] }],
        ['structured only (content defaults to none)', { structuredContent: { todos: [] } }],
        ['error result with extra members', { content: [{ type: 'text', text: 'no' }], isError: true, extra: 'kept' }],
        ['lastModified with an offset', { content: [{ type: 'text', text: 'x', annotations: { lastModified: '2025-11-25T10:00:00.123+02:00' } }] }],
      ],
      CallToolResultSchema,
      parseCallToolResult,
    );
  });

  it('refuses malformed content, naming the place', () => {
    verdicts(
      [
        ['embedded resource without its resource (crashed call with exit 70)', { content: [{ type: 'resource' }] }, 'result.content[0].resource is missing'],
        ['embedded resource with neither text nor blob', { content: [{ type: 'resource', resource: { uri: 'x:' } }] }, 'result.content[0].resource has neither "text" nor "blob"'],
        ['blob that is not base64', { content: [{ type: 'resource', resource: { uri: 'x:', blob: 'not base64!' } }] }, 'result.content[0].resource.blob is not valid base64'],
        ['image without data', { content: [{ type: 'image', mimeType: 'image/png' }] }, 'result.content[0].data is missing'],
        ['image that is not base64', { content: [{ type: 'image', data: '%%%', mimeType: 'image/png' }] }, 'result.content[0].data is not valid base64'],
        ['audio without mimeType', { content: [{ type: 'audio', data: PNG }] }, 'result.content[0].mimeType is missing'],
        ['unknown content type', { content: [{ type: 'video', data: PNG }] }, 'result.content[0].type is "video", not a content type of MCP'],
        ['text that is a number', { content: [{ type: 'text', text: 3 }] }, 'result.content[0].text is the number 3, not a string'],
        ['content without a type', { content: [{ text: 'x' }] }, 'result.content[0].type is missing'],
        ['resource link without a name', { content: [{ type: 'resource_link', uri: 'x:' }] }, 'result.content[0].name is missing'],
        ['priority above 1', { content: [{ type: 'text', text: 'x', annotations: { priority: 2 } }] }, 'result.content[0].annotations.priority is 2, not between 0 and 1'],
        ['an audience nobody is', { content: [{ type: 'text', text: 'x', annotations: { audience: ['robot'] } }] }, 'result.content[0].annotations.audience[0] is the string "robot"'],
        ['lastModified that is no date', { content: [{ type: 'text', text: 'x', annotations: { lastModified: 'yesterday' } }] }, 'annotations.lastModified is the string "yesterday"'],
        ['content that is not an array', { content: 'text' }, 'result.content is the string "text", not an array'],
        ['isError that is a string', { content: [], isError: 'yes' }, 'result.isError is the string "yes", not true or false'],
        ['structured content that is an array', { content: [], structuredContent: [1] }, 'result.structuredContent is an array, not an object'],
        ['icon without src', { content: [{ type: 'resource_link', uri: 'x:', name: 'n', icons: [{}] }] }, 'result.content[0].icons[0].src is missing'],
      ],
      CallToolResultSchema,
      parseCallToolResult,
    );
  });
});

describe('tools/list and initialize results', () => {
  const schema = { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] };
  it('tools: a name and an object schema; hints, execution and icons typed', () => {
    verdicts(
      [
        ['full tool', { tools: [{ name: 't', title: 'T', description: 'd', inputSchema: schema, outputSchema: schema, annotations: { readOnlyHint: true }, execution: { taskSupport: 'optional' }, icons: [{ src: 'data:,' }] }], nextCursor: 'c' }],
        ['no inputSchema', { tools: [{ name: 't' }] }, 'result.tools[0].inputSchema is missing'],
        ['inputSchema of another type', { tools: [{ name: 't', inputSchema: { type: 'string' } }] }, 'result.tools[0].inputSchema.type is the string "string", not "object"'],
        ['a property schema that is not an object', { tools: [{ name: 't', inputSchema: { type: 'object', properties: { a: 1 } } }] }, 'result.tools[0].inputSchema.properties.a is the number 1, not an object'],
        ['a hint that is not a boolean', { tools: [{ name: 't', inputSchema: { type: 'object' }, annotations: { readOnlyHint: 'yes' } }] }, 'result.tools[0].annotations.readOnlyHint'],
        ['unknown task support', { tools: [{ name: 't', inputSchema: { type: 'object' }, execution: { taskSupport: 'maybe' } }] }, 'result.tools[0].execution.taskSupport'],
        ['a cursor that is a number', { tools: [], nextCursor: 3 }, 'result.nextCursor is the number 3, not a string'],
        ['no tools', {}, 'result.tools is missing'],
      ],
      ListToolsResultSchema,
      parseListToolsResult,
    );
  });

  it('initialize: capabilities and the server name and version', () => {
    const good = { protocolVersion: '2025-11-25', capabilities: { tools: { listChanged: true }, logging: {} }, serverInfo: { name: 's', version: '1', title: 'S' }, instructions: 'use it' };
    verdicts(
      [
        ['complete', good],
        ['no serverInfo', { ...good, serverInfo: undefined }, 'result.serverInfo is missing'],
        ['serverInfo without a version', { ...good, serverInfo: { name: 's' } }, 'result.serverInfo.version is missing'],
        ['no capabilities', { ...good, capabilities: undefined }, 'result.capabilities is missing'],
        ['listChanged that is a string', { ...good, capabilities: { tools: { listChanged: 'yes' } } }, 'result.capabilities.tools.listChanged'],
      ],
      InitializeResultSchema,
      parseInitializeResult,
    );
    expect(parseInitializeResult(structuredClone(good))).toEqual({ protocolVersion: '2025-11-25', capabilities: good.capabilities, serverInfo: { name: 's', version: '1' }, instructions: 'use it' });
  });
});

describe('JSON-RPC messages', () => {
  it('checks jsonrpc, the kind, ids, params, results and error objects on every message', () => {
    verdicts(
      [
        ['request', { jsonrpc: '2.0', id: 1, method: 'ping' }],
        ['request with a string id and params', { jsonrpc: '2.0', id: 'a', method: 'sampling/createMessage', params: { _meta: { progressToken: 1 } } }],
        ['notification', { jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 1, progress: 1 } }],
        ['result', { jsonrpc: '2.0', id: 1, result: {} }],
        ['error', { jsonrpc: '2.0', id: 1, error: { code: -32601, message: 'no', data: { x: 1 } } }],
        ['jsonrpc 1.0', { jsonrpc: '1.0', id: 1, result: {} }, 'has jsonrpc "1.0", not "2.0"'],
        ['no jsonrpc', { id: 1, result: {} }, 'has jsonrpc missing, not "2.0"'],
        ['an id that is an object', { jsonrpc: '2.0', id: {}, result: {} }, 'has the id {}, neither a string nor an integer'],
        ['an id that is a fraction', { jsonrpc: '2.0', id: 1.5, method: 'ping' }, 'has the id 1.5'],
        ['both result and error', { jsonrpc: '2.0', id: 1, result: {}, error: { code: 1, message: 'x' } }, 'is a result with a member "error" that does not belong there'],
        ['a member JSON-RPC does not have', { jsonrpc: '2.0', method: 'x', extra: 1 }, 'is a notification with a member "extra"'],
        ['an error code that is a fraction', { jsonrpc: '2.0', id: 1, error: { code: 1.5, message: 'x' } }, 'whose code is the number 1.5, not an integer'],
        ['an error without a message', { jsonrpc: '2.0', id: 1, error: { code: 1 } }, 'whose message is missing, not a string'],
        ['a result that is an array', { jsonrpc: '2.0', id: 1, result: [] }, 'with a result that is an array, not an object'],
        ['params that are an array', { jsonrpc: '2.0', id: 1, method: 'x', params: [] }, 'has params that are an array, not an object'],
        ['a method that is a number', { jsonrpc: '2.0', method: 7 }, 'has a method that is the number 7, not a string'],
        ['nothing JSON-RPC', { jsonrpc: '2.0' }, 'is neither a request, a notification nor a response'],
        ['not an object', 'hello', 'is the string "hello", not an object'],
      ],
      JSONRPCMessageSchema,
      parseJsonRpcMessage,
    );
  });

  it('accepts an error answer with id null, as JSON-RPC 2.0 §5 sends for an unreadable request (the one place it is more lenient than the SDK)', () => {
    const message = { jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } };
    expect(JSONRPCMessageSchema.safeParse(message).success).toBe(false);
    expect(parseJsonRpcMessage(message)).toEqual({ kind: 'error', error: { code: -32700, message: 'Parse error' } });
  });
});
