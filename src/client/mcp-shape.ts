import { McpProtocolViolation } from './mcp-errors.js';

/*
 * Small shape checks for what an MCP server sends, written by hand after the SDK's zod schemas (types.ts,
 * MCP 2025-11-25): zod itself costs more to load than a whole `todo-mcp call`. As there, objects may carry
 * members the schema does not name (they are kept, not checked); what the schema names must have its type.
 * A failure names the place (`content[1].resource.blob`) and what is wrong with it.
 */

/** A JSON object (not null, not an array). */
export type JsonObject = Record<string, unknown>;

/** Where a value sits in the message, e.g. `content[1].annotations`. */
export type Path = string;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The checks below fail with the place and the fault; {@link shaped} says which message it was in. */
export function problem(path: Path, what: string): never {
  throw new McpProtocolViolation(`${path} ${what}`);
}

/** `value` as an object, or a problem at `path`. */
export function object(value: unknown, path: Path): JsonObject {
  if (!isObject(value)) problem(path, wrong(value, 'an object'));
  return value;
}

/** `value` as an array, or a problem at `path`. */
export function array(value: unknown, path: Path): unknown[] {
  if (!Array.isArray(value)) problem(path, wrong(value, 'an array'));
  return value;
}

/** The string member `key` of `parent` (required unless `optional`). */
export function string(parent: JsonObject, key: string, path: Path, optional = false): string | undefined {
  const value = parent[key];
  if (value === undefined && optional) return undefined;
  if (typeof value !== 'string') problem(`${path}.${key}`, wrong(value, 'a string'));
  return value;
}

/** The optional member `key` of `parent` checked by `check` when present. */
export function optional(parent: JsonObject, key: string, path: Path, check: (value: unknown, path: Path) => unknown): void {
  if (parent[key] !== undefined) check(parent[key], `${path}.${key}`);
}

export function boolean(value: unknown, path: Path): void {
  if (typeof value !== 'boolean') problem(path, wrong(value, 'true or false'));
}

export function number(value: unknown, path: Path): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) problem(path, wrong(value, 'a number'));
}

export function integer(value: unknown, path: Path): void {
  if (!Number.isInteger(value)) problem(path, wrong(value, 'an integer'));
}

export function stringArray(value: unknown, path: Path): void {
  array(value, path).forEach((item, i) => {
    if (typeof item !== 'string') problem(`${path}[${i}]`, wrong(item, 'a string'));
  });
}

/** A string member holding base64 data (the SDK's check: what `atob` accepts). */
export function base64(parent: JsonObject, key: string, path: Path): void {
  const value = string(parent, key, path)!;
  try {
    atob(value);
  } catch {
    problem(`${path}.${key}`, 'is not valid base64');
  }
}

/** `_meta`, allowed on every object of the protocol: an object when present. */
export function meta(parent: JsonObject, path: Path): void {
  optional(parent, '_meta', path, object);
}

/**
 * Runs a check over a message part and reports its failure as a protocol violation about `what`
 * (`its tools/call result is malformed: content[0].resource is missing`).
 */
export function shaped<T>(what: string, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof McpProtocolViolation) throw new McpProtocolViolation(`its ${what} is malformed: ${error.message}`);
    throw error;
  }
}

/** `is missing`, or `is the number 3, not a string`. */
export function wrong(value: unknown, expected: string): string {
  return value === undefined ? 'is missing' : `is ${describe(value)}, not ${expected}`;
}

/** A value in a few words, for messages: `null`, `an array`, `the number 3`, `the string "x"`. */
export function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `the ${typeof value} ${String(value)}`;
}
