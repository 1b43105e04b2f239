import type { Shape } from './openapi-shapes.js';

/**
 * Where `value` breaks `shape`, one message per problem (empty when it conforms). Stricter than Logto in
 * one way, on purpose: a property the shape does not declare is a problem. Logto's zod guards drop unknown
 * properties silently, so a misspelt field would be ignored by the real server and go unnoticed.
 */
export function checkShape(value: unknown, shape: Shape, path = '$'): string[] {
  switch (shape.kind) {
    case 'unknown':
      return [];
    case 'never':
      return [`${path}: not allowed`];
    case 'string':
    case 'number':
    case 'boolean':
      return typeof value === shape.kind && (shape.kind !== 'number' || Number.isFinite(value)) ? [] : [`${path}: expected ${shape.kind}, got ${describe(value)}`];
    case 'null':
      return value === null ? [] : [`${path}: expected null, got ${describe(value)}`];
    case 'literal':
      return value === shape.value ? [] : [`${path}: expected ${JSON.stringify(shape.value)}, got ${describe(value)}`];
    case 'union':
      return shape.options.some((option) => checkShape(value, option, path).length === 0) ? [] : [`${path}: ${describe(value)} matches none of ${shape.options.map(label).join(' | ')}`];
    case 'array':
      return Array.isArray(value) ? value.flatMap((item, i) => checkShape(item, shape.items, `${path}[${i}]`)) : [`${path}: expected an array, got ${describe(value)}`];
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${path}: expected an object, got ${describe(value)}`];
      const record = value as Record<string, unknown>;
      const problems: string[] = [];
      for (const [key, { shape: propertyShape, optional }] of Object.entries(shape.properties)) {
        if (record[key] === undefined) {
          if (!optional) problems.push(`${path}.${key}: required`);
        } else problems.push(...checkShape(record[key], propertyShape, `${path}.${key}`));
      }
      for (const key of Object.keys(record)) {
        if (key in shape.properties) continue;
        if (shape.index) problems.push(...checkShape(record[key], shape.index, `${path}.${key}`));
        else problems.push(`${path}.${key}: not a property of this request`);
      }
      return problems;
    }
  }
}

function describe(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : typeof value;
}

function label(shape: Shape): string {
  return shape.kind === 'literal' ? JSON.stringify(shape.value) : shape.kind;
}

/** Logto's search syntax, read by `parseSearchParamsForSearch` when an operation declares `search_params`. */
const SEARCH_KEY = /^(search|mode)(\.[A-Za-z]+)?$|^(isCaseSensitive|joint|jointMode)$/;

/**
 * Checks a query string against an operation's query shape. Values arrive as strings: a number must parse
 * as one, a literal must be spelt exactly, an array may repeat the key. `search_params` (an object of
 * strings, form-exploded) stands for Logto's `search.<field>` / `mode.<field>` keys.
 */
export function checkQuery(params: URLSearchParams, shape: Shape | undefined): string[] {
  const properties = shape?.kind === 'object' ? shape.properties : {};
  const problems: string[] = [];
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    const declared = properties[key];
    if (!declared) {
      if (!('search_params' in properties && SEARCH_KEY.test(key))) problems.push(`?${key}: not a query parameter of this request`);
      continue;
    }
    const arrayItems = arrayItemShape(declared.shape);
    if (values.length > 1 && !arrayItems) problems.push(`?${key}: given ${values.length} times`);
    for (const value of values) {
      const fits = [declared.shape, ...(arrayItems ? [arrayItems] : [])].some((s) => checkShape(coerce(value, s), s).length === 0);
      if (!fits) problems.push(`?${key}=${value}: does not fit ${declared.shape.kind}`);
    }
  }
  return problems;
}

function arrayItemShape(shape: Shape): Shape | undefined {
  if (shape.kind === 'array') return shape.items;
  if (shape.kind === 'union') return shape.options.map(arrayItemShape).find(Boolean);
  return undefined;
}

function coerce(value: string, shape: Shape): unknown {
  if (shape.kind === 'number' || (shape.kind === 'literal' && typeof shape.value === 'number')) return value.trim() === '' ? value : Number(value);
  if (shape.kind === 'boolean') return value === 'true' ? true : value === 'false' ? false : value;
  return value;
}

/**
 * Known errata of the published description, corrected after checking the real server (Logto 1.37.1):
 * `redirectUris` / `postLogoutRedirectUris` items are typed as objects (the generator's rendering of a zod
 * `.refine()`, "Validator function" in Logto's own swagger.json), but Logto takes strings and refuses objects.
 */
export function correctErrata(shape: Shape): Shape {
  switch (shape.kind) {
    case 'union':
      return { kind: 'union', options: shape.options.map(correctErrata) };
    case 'array':
      return { kind: 'array', items: correctErrata(shape.items) };
    case 'object': {
      const properties = Object.fromEntries(
        Object.entries(shape.properties).map(([key, p]) => [
          key,
          (key === 'redirectUris' || key === 'postLogoutRedirectUris') && p.shape.kind === 'array' ? { ...p, shape: { kind: 'array', items: { kind: 'string' } } as Shape } : { ...p, shape: correctErrata(p.shape) },
        ]),
      );
      return { ...shape, properties };
    }
    default:
      return shape;
  }
}
