import { array, base64, meta, number, object, optional, problem, string, stringArray, wrong, type Path } from './mcp-shape.js';

/*
 * Content blocks of a tool result (MCP 2025-11-25 `ContentBlock`, the SDK's ContentBlockSchema): text,
 * image, audio, resource_link and an embedded resource holding text or a base64 blob, each with optional
 * annotations and _meta. Checked so that everything printing a result can rely on each variant's fields.
 */

const ROLES: readonly unknown[] = ['user', 'assistant'];
const THEMES: readonly unknown[] = ['light', 'dark'];
// ISO 8601 date-time with a time zone offset (or Z), as the SDK's `z.iso.datetime({ offset: true })`.
const DATE_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)$/;

/** Annotations: audience (user/assistant), priority 0–1, lastModified (ISO 8601). */
export function checkAnnotations(value: unknown, path: Path): void {
  const annotations = object(value, path);
  optional(annotations, 'audience', path, (audience, at) =>
    array(audience, at).forEach((role, i) => {
      if (!ROLES.includes(role)) problem(`${at}[${i}]`, wrong(role, '"user" or "assistant"'));
    }),
  );
  optional(annotations, 'priority', path, (priority, at) => {
    number(priority, at);
    if ((priority as number) < 0 || (priority as number) > 1) problem(at, `is ${String(priority)}, not between 0 and 1`);
  });
  optional(annotations, 'lastModified', path, (when, at) => {
    if (typeof when !== 'string' || !DATE_TIME.test(when)) problem(at, wrong(when, 'an ISO 8601 date-time with a time zone'));
  });
}

/** Icons of tools, implementations and resource links: each with a `src`. */
export function checkIcons(value: unknown, path: Path): void {
  array(value, path).forEach((item, i) => {
    const at = `${path}[${i}]`;
    const icon = object(item, at);
    string(icon, 'src', at);
    string(icon, 'mimeType', at, true);
    optional(icon, 'sizes', at, stringArray);
    optional(icon, 'theme', at, (theme, where) => {
      if (!THEMES.includes(theme)) problem(where, wrong(theme, '"light" or "dark"'));
    });
  });
}

/** The `resource` of an embedded resource: a uri with either `text` or a base64 `blob`. */
function checkResourceContents(value: unknown, path: Path): void {
  const resource = object(value, path);
  string(resource, 'uri', path);
  string(resource, 'mimeType', path, true);
  meta(resource, path);
  if (typeof resource.text === 'string') return;
  if (resource.blob === undefined) problem(path, 'has neither "text" nor "blob"');
  base64(resource, 'blob', path);
}

/** One content block; an unknown `type` is a violation (the schema's union has no other member). */
export function checkContentBlock(value: unknown, path: Path): void {
  const block = object(value, path);
  const type = string(block, 'type', path);
  optional(block, 'annotations', path, checkAnnotations);
  meta(block, path);
  switch (type) {
    case 'text':
      string(block, 'text', path);
      return;
    case 'image':
    case 'audio':
      base64(block, 'data', path);
      string(block, 'mimeType', path);
      return;
    case 'resource_link':
      string(block, 'uri', path);
      string(block, 'name', path);
      for (const key of ['title', 'description', 'mimeType']) string(block, key, path, true);
      optional(block, 'size', path, number);
      optional(block, 'icons', path, checkIcons);
      return;
    case 'resource':
      checkResourceContents(block.resource, `${path}.resource`);
      return;
    default:
      problem(`${path}.type`, `is ${JSON.stringify(type)}, not a content type of MCP (text, image, audio, resource_link, resource)`);
  }
}
