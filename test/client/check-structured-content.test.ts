import { describe, expect, it } from 'vitest';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { checkStructuredContent } from '../../src/client/check-structured-content.js';

const tool: Tool = {
  name: 'get-todos',
  inputSchema: { type: 'object' },
  outputSchema: {
    type: 'object',
    properties: { todos: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] } } },
    required: ['todos'],
  },
};

describe('checkStructuredContent', () => {
  it('accepts structured content that matches the output schema', async () => {
    await expect(checkStructuredContent(tool, { content: [], structuredContent: { todos: [{ id: 'a' }] } })).resolves.toBeUndefined();
  });

  it('refuses content that does not match, naming the tool and the problem', async () => {
    await expect(checkStructuredContent(tool, { content: [], structuredContent: { todos: [{ id: 7 }] } })).rejects.toThrow(
      'its tool get-todos returned structured content that does not match its output schema: /todos/0/id Instance type "number" is invalid. Expected "string".',
    );
  });

  it('refuses a missing structured content when the tool declares a schema', async () => {
    await expect(checkStructuredContent(tool, { content: [{ type: 'text', text: '[]' }] })).rejects.toThrow(
      'its tool get-todos declares an output schema but returned no structured content',
    );
  });

  it('checks nothing for error results or tools without a schema', async () => {
    await expect(checkStructuredContent(tool, { content: [{ type: 'text', text: 'boom' }], isError: true })).resolves.toBeUndefined();
    const { outputSchema: _none, ...plain } = tool;
    await expect(checkStructuredContent(plain, { content: [], structuredContent: { anything: 1 } })).resolves.toBeUndefined();
  });
});
