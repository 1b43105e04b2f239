/**
 * An OAuth `scope` value (RFC 6749 §3.3: scope tokens separated by spaces, in a token response, a JWT
 * claim, a request parameter or a challenge) as a list; undefined when `value` is not a string, so a caller
 * can tell "no scope given" from "an empty one".
 */
export function parseScopeString(value: unknown): string[] | undefined {
  return typeof value === 'string' ? value.split(' ').filter((scope) => scope !== '') : undefined;
}
