import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import type { JsonSchemaType } from '@modelcontextprotocol/sdk/validation/types.js';
import { McpProtocolViolation } from './mcp-errors.js';

/**
 * A tool that declares an `outputSchema` must return `structuredContent` matching it (MCP 2025-11-25,
 * "Output Schema"; clients SHOULD validate). Error results are exempt. The validator (the SDK's Ajv
 * provider) is loaded only for tools that declare a schema, so other calls do not pay for it.
 */
export async function checkStructuredContent(tool: Tool, result: CallToolResult): Promise<void> {
  if (!tool.outputSchema || result.isError) return;
  if (result.structuredContent === undefined) {
    throw new McpProtocolViolation(`its tool ${tool.name} declares an output schema but returned no structured content`);
  }
  const { AjvJsonSchemaValidator } = await import('@modelcontextprotocol/sdk/validation/ajv');
  let validate;
  try {
    validate = new AjvJsonSchemaValidator().getValidator(tool.outputSchema as JsonSchemaType);
  } catch (error) {
    throw new McpProtocolViolation(`its tool ${tool.name} declares an output schema that cannot be compiled (${(error as Error).message})`);
  }
  const outcome = validate(result.structuredContent);
  if (!outcome.valid) {
    throw new McpProtocolViolation(`its tool ${tool.name} returned structured content that does not match its output schema: ${outcome.errorMessage}`);
  }
}
