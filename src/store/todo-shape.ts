import { TodoMcpError } from '../errors/todo-mcp-error.js';
import type { Todo } from './todo-repository.js';

/** Thrown while loading when stored JSON parses but does not have the expected shape (the loader reports it as store_corrupt). */
export class DocumentShapeError extends TodoMcpError<'document_shape_invalid'> {
  override readonly name = 'DocumentShapeError';
  constructor(message: string) {
    super('document_shape_invalid', message);
  }
}

/** One journal line: the todos a commit created and the ids it deleted. */
export interface TodoChange {
  readonly create: readonly Todo[];
  readonly delete: readonly string[];
}

const TODO_KEYS = ['id', 'content', 'ownerId', 'createdAt'] as const;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function requireKeys(value: Record<string, unknown>, allowed: readonly string[], where: string): void {
  // Unknown keys are refused rather than dropped: saving would silently lose them.
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) throw new DocumentShapeError(`${where} has an unexpected property ${JSON.stringify(key)}`);
  }
}

/** `value` when it is a string (a non-empty one unless `allowEmpty`); a TypeError naming `name` otherwise: a caller's bug, not bad data. */
export function requireText(value: unknown, name: string, allowEmpty: boolean): string {
  if (typeof value !== 'string' || (!allowEmpty && value === '')) {
    throw new TypeError(`${name} must be a ${allowEmpty ? '' : 'non-empty '}string`);
  }
  return value;
}

/** A frozen todo with exactly the four stored fields, so callers cannot change the store's copy. */
export function freezeTodo(todo: Todo): Todo {
  return Object.freeze({ id: todo.id, content: todo.content, ownerId: todo.ownerId, createdAt: todo.createdAt });
}

/** Checks one stored todo; `where` says which one in error messages. */
export function parseTodo(value: unknown, where: string): Todo {
  if (!isPlainObject(value)) throw new DocumentShapeError(`${where} is not an object`);
  requireKeys(value, TODO_KEYS, where);
  for (const key of TODO_KEYS) {
    if (typeof value[key] !== 'string') throw new DocumentShapeError(`${where}.${key} is not a string`);
  }
  const todo = value as unknown as Todo;
  if (todo.id === '') throw new DocumentShapeError(`${where}.id is empty`);
  if (todo.ownerId === '') throw new DocumentShapeError(`${where}.ownerId is empty`);
  if (Number.isNaN(Date.parse(todo.createdAt))) throw new DocumentShapeError(`${where}.createdAt is not a date`);
  return freezeTodo(todo);
}

/** Checks the data file: `{ "todos": [ … ] }`. */
export function parseTodoFile(json: unknown): Todo[] {
  if (!isPlainObject(json)) throw new DocumentShapeError('the top level is not an object');
  requireKeys(json, ['todos'], 'the top level');
  const { todos } = json;
  if (!Array.isArray(todos)) throw new DocumentShapeError('"todos" is not an array');
  return todos.map((todo, index) => parseTodo(todo, `todos[${index}]`));
}

/** Checks one journal line: `{ "create": [todo…], "delete": [id…] }`. */
export function parseTodoChange(json: unknown): TodoChange {
  if (!isPlainObject(json)) throw new DocumentShapeError('a journal entry is not an object');
  requireKeys(json, ['create', 'delete'], 'a journal entry');
  const { create = [], delete: deleted = [] } = json;
  if (!Array.isArray(create)) throw new DocumentShapeError('a journal entry\'s "create" is not an array');
  if (!Array.isArray(deleted) || !deleted.every((id) => typeof id === 'string')) {
    throw new DocumentShapeError('a journal entry\'s "delete" is not an array of ids');
  }
  return { create: create.map((todo, index) => parseTodo(todo, `create[${index}]`)), delete: deleted as string[] };
}
