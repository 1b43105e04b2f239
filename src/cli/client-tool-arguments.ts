import { CliError, EXIT } from './cli-error.js';

/** The part of a tool's JSON Schema (`inputSchema`) used to type `key=value` arguments. */
export interface ToolInputSchema {
  properties?: Record<string, { type?: unknown; description?: unknown } | undefined>;
  required?: readonly string[];
  additionalProperties?: unknown;
  [key: string]: unknown;
}

function typeOf(schema: ToolInputSchema, key: string): string | undefined {
  const type = schema.properties?.[key]?.type;
  if (typeof type === 'string') return type;
  // ["string", "null"] and the like: the first non-null type decides.
  if (Array.isArray(type)) return type.find((t): t is string => typeof t === 'string' && t !== 'null');
  return undefined;
}

function coerce(key: string, raw: string, type: string | undefined): unknown {
  const bad = (what: string) => new CliError('usage', `Argument ${key} must be ${what}, got ${JSON.stringify(raw)}.`);
  switch (type) {
    case 'string':
      return raw;
    case 'number':
    case 'integer': {
      const value = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(value)) throw bad('a number');
      if (type === 'integer' && !Number.isInteger(value)) throw bad('an integer');
      return value;
    }
    case 'boolean':
      if (/^(true|yes|1)$/i.test(raw)) return true;
      if (/^(false|no|0)$/i.test(raw)) return false;
      throw bad('true or false');
    case 'object':
    case 'array': {
      let value: unknown;
      try {
        value = JSON.parse(raw);
      } catch {
        throw bad(`JSON (an ${type})`);
      }
      if (type === 'array' ? !Array.isArray(value) : typeof value !== 'object' || value === null || Array.isArray(value)) throw bad(`a JSON ${type}`);
      return value;
    }
    case 'null':
      return null;
    default:
      // No declared type: JSON when it parses (42, true, {"a":1}), otherwise the text itself.
      try {
        return JSON.parse(raw);
      } catch {
        return raw;
      }
  }
}

/**
 * A tool's arguments from `--args '{…}'` plus `key=value` words (which win), each value typed by the
 * tool's input schema: `content=42` stays the string "42" for a string property. Unknown keys are
 * refused when the schema forbids additional properties; missing required ones are named.
 */
export function buildToolArguments(schema: ToolInputSchema, pairs: readonly string[], json?: string): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  if (json !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch (error) {
      throw new CliError('usage', `--args is not valid JSON: ${(error as Error).message}`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new CliError('usage', '--args must be a JSON object.');
    Object.assign(args, parsed);
  }
  const known = Object.keys(schema.properties ?? {});
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new CliError('usage', `Tool arguments are key=value, got ${JSON.stringify(pair)}.`);
    const key = pair.slice(0, eq);
    if (schema.additionalProperties === false && !known.includes(key)) {
      throw new CliError('usage', `Unknown argument ${key}; this tool takes: ${known.join(', ') || 'no arguments'}.`);
    }
    args[key] = coerce(key, pair.slice(eq + 1), typeOf(schema, key));
  }
  const missing = (schema.required ?? []).filter((key) => !(key in args));
  if (missing.length > 0) {
    const describe = (key: string) => {
      const description = schema.properties?.[key]?.description;
      return `  ${key}=…  (${typeOf(schema, key) ?? 'any'})${typeof description === 'string' ? ` ${description}` : ''}`;
    };
    throw new CliError('usage', `Missing required argument${missing.length > 1 ? 's' : ''}:\n${missing.map(describe).join('\n')}`);
  }
  return args;
}
