import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { Identity } from '../auth/identity.js';
import { isTodoMcpError, TodoMcpError } from '../errors/todo-mcp-error.js';
import { rolesGranting } from '../policy/roles.js';
import { SCOPES } from '../policy/scopes.js';
import { missingScopes } from '../policy/tool-policy.js';
import { MAX_PAGE_LIMIT, type Todo, type TodoRepository } from '../store/todo-repository.js';
import { unpairedSurrogate } from '../store/well-formed-text.js';
import { MAX_CURSOR_LENGTH, type PageCursors } from './page-cursor.js';

/** Longest todo text accepted, in characters. */
export const MAX_CONTENT_LENGTH = 2_000;
/** Longest id accepted by delete-todo (ids we issue are far shorter). */
const MAX_ID_LENGTH = 128;
/** get-todos' page size when the caller names none. */
export const DEFAULT_PAGE_LIMIT = 100;

const todoShape = z.object({
  id: z.string(),
  content: z.string(),
  ownerId: z.string(),
  createdAt: z.string(),
});

/** `tool_input_invalid`: the arguments cannot be used; `todo_not_found`: no such todo that the caller may touch. */
export type ToolFailureCode = 'tool_input_invalid' | 'todo_not_found';

/** Reads the verified identity the HTTP layer attached; tools never see the request or its headers. */
export type IdentityOf = (extra: { authInfo?: { extra?: Record<string, unknown> } }) => Identity | undefined;

export interface TodoToolsOptions {
  /** Where todos are kept. */
  todos: TodoRepository;
  /** How a tool call's identity is obtained from the SDK's handler context. */
  identityOf: IdentityOf;
  /** Signs and checks get-todos' page cursors (made from the store's cursorSecret). */
  cursors: PageCursors;
}

/** A tool call the tool refuses: the message goes back to the caller as the tool's error (isError). */
class ToolFailure extends TodoMcpError<ToolFailureCode> {
  override readonly name = 'ToolFailure';
  constructor(code: ToolFailureCode, message: string) {
    super(code, message);
  }
}

function result(structured: Record<string, unknown>, text: string): CallToolResult {
  return { content: [{ type: 'text', text }], structuredContent: structured };
}

function failure(message: string): CallToolResult {
  return { content: [{ type: 'text', text: message }], isError: true };
}

/** Runs a tool body with the caller's identity and turns known failures into tool errors (isError). */
function withIdentity<A>(
  options: TodoToolsOptions,
  tool: string,
  body: (args: A, identity: Identity) => Promise<CallToolResult>,
) {
  return async (args: A, extra: Parameters<IdentityOf>[0]): Promise<CallToolResult> => {
    const identity = options.identityOf(extra);
    if (!identity) return failure('This tool needs an authenticated caller.');
    // The HTTP layer already answers 403 for this; checking again keeps tools safe on any transport.
    const missing = missingScopes(tool, identity.scopes);
    if (missing.length > 0) {
      const scope = missing[0]!;
      return failure(`Missing scope ${scope}: ask for a role that grants it (${rolesGranting(scope).join(', ')}).`);
    }
    try {
      return await body(args, identity);
    } catch (error) {
      if (!isTodoMcpError(error)) throw error;
      switch (error.code) {
        case 'tool_input_invalid':
        case 'todo_not_found':
          return failure(error.message);
        case 'store_write_failed':
        case 'store_corrupt':
        case 'store_locked':
        case 'store_unreadable':
          return failure(`The todo store failed: ${error.message}`);
        default:
          throw error;
      }
    }
  };
}

// C0 controls except tab and newline, DEL and C1 controls: shown later in a terminal or a log, they could
// move the cursor, recolour or erase what is displayed, or forge lines.
const CONTROL_CHARACTER = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
const codePoint = (unit: number) => `U+${unit.toString(16).toUpperCase().padStart(4, '0')}`;

/** Why a text cannot be stored as a todo, or undefined when it can. */
export function textProblem(text: string): string | undefined {
  const control = CONTROL_CHARACTER.exec(text);
  if (control) return `contains the control character ${codePoint(control[0].charCodeAt(0))} at position ${control.index + 1}; only text, tabs and newlines are accepted`;
  const lone = unpairedSurrogate(text);
  if (lone) return `is not valid Unicode text (an unpaired surrogate ${codePoint(lone.codeUnit)} at position ${lone.index + 1})`;
  return undefined;
}

function describe(todo: Todo): string {
  return `${todo.id}  ${todo.content}`;
}

/** Registers create-todo, get-todos and delete-todo, with ownership rules driven by TOOL_POLICY's scopes. */
export function registerTodoTools(server: McpServer, options: TodoToolsOptions): void {
  const { todos } = options;

  server.registerTool(
    'create-todo',
    {
      title: 'Create todo',
      description: `Create a new todo owned by the caller. Needs the ${SCOPES.create} scope.`,
      inputSchema: {
        content: z.string().describe(`The todo text (1–${MAX_CONTENT_LENGTH} characters; no control characters except tab and newline).`),
      },
      outputSchema: { todo: todoShape },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    withIdentity(options, 'create-todo', async ({ content }: { content: string }, identity) => {
      const text = content.trim();
      if (text.length === 0) throw new ToolFailure('tool_input_invalid', 'content must not be empty.');
      if (text.length > MAX_CONTENT_LENGTH) {
        throw new ToolFailure('tool_input_invalid', `content is too long (${text.length} characters; the limit is ${MAX_CONTENT_LENGTH}).`);
      }
      const problem = textProblem(text);
      if (problem) throw new ToolFailure('tool_input_invalid', `content ${problem}.`);
      const todo = await todos.create({ content: text, ownerId: identity.sub });
      return result({ todo }, `Created todo ${describe(todo)}`);
    }),
  );

  server.registerTool(
    'get-todos',
    {
      title: 'List todos',
      description:
        `List todos, oldest first, one page at a time: every todo with the ${SCOPES.read} scope, otherwise only the caller's own. ` +
        'When more follow, the result has nextCursor: pass it as cursor to get the next page.',
      inputSchema: {
        limit: z.number().int().min(1).max(MAX_PAGE_LIMIT).optional().describe(`Most todos to return (1–${MAX_PAGE_LIMIT}; default ${DEFAULT_PAGE_LIMIT}).`),
        cursor: z.string().min(1).max(MAX_CURSOR_LENGTH).optional().describe('The nextCursor of the previous page; omit it for the first page.'),
      },
      outputSchema: {
        todos: z.array(todoShape).describe('This page, oldest first.'),
        scope: z.enum(['all', 'own']),
        nextCursor: z.string().optional().describe('Present when more todos follow: pass it as cursor to get the next page.'),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    withIdentity(options, 'get-todos', async ({ limit, cursor }: { limit?: number; cursor?: string }, identity) => {
      const seeAll = identity.scopes.includes(SCOPES.read);
      const scope = seeAll ? 'all' : 'own';
      // A cursor is good only for the listing it came from: the same caller, seeing the same todos.
      const binding = JSON.stringify([scope, identity.sub]);
      const after = cursor === undefined ? undefined : options.cursors.decode(cursor, binding);
      if (cursor !== undefined && after === undefined) {
        throw new ToolFailure(
          'tool_input_invalid',
          'Input validation error: Invalid arguments for tool get-todos: cursor was not issued to you by this server (changed, ' +
            'made for another caller, or from before a restart). Call get-todos without a cursor to start from the first page.',
        );
      }
      const page = await todos.page({ ...(seeAll ? {} : { ownerId: identity.sub }), limit: limit ?? DEFAULT_PAGE_LIMIT, after });
      const nextCursor = page.next === undefined ? undefined : options.cursors.encode(page.next, binding);
      const lines = page.todos.length === 0 ? [cursor === undefined ? 'No todos.' : 'No more todos.'] : page.todos.map(describe);
      if (nextCursor !== undefined) lines.push(`More todos follow; nextCursor: ${nextCursor}`);
      return result({ todos: page.todos, scope, ...(nextCursor === undefined ? {} : { nextCursor }) }, lines.join('\n'));
    }),
  );

  server.registerTool(
    'delete-todo',
    {
      title: 'Delete todo',
      description: `Delete a todo by id: your own, or anyone's with the ${SCOPES.delete} scope.`,
      inputSchema: {
        id: z.string().min(1).max(MAX_ID_LENGTH).describe('The id of the todo to delete.'),
      },
      outputSchema: { deleted: todoShape },
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    },
    withIdentity(options, 'delete-todo', async ({ id }: { id: string }, identity) => {
      const deleteAny = identity.scopes.includes(SCOPES.delete);
      const deleted = await todos.delete(id, deleteAny ? {} : { ownerId: identity.sub });
      // Someone else's todo answers exactly like a missing one, so ids cannot be probed.
      if (!deleted) throw new ToolFailure('todo_not_found', `No todo with id ${JSON.stringify(id)} that you may delete.`);
      return result({ deleted }, `Deleted todo ${describe(deleted)}`);
    }),
  );
}
