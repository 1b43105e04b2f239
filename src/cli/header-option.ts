import { CliError } from './cli-error.js';

/**
 * Headers the bridge may not take from `--header`. Authorization belongs to the login: a second source of
 * credentials would silently win or lose against the stored token, so it is refused rather than merged.
 * The others are the transport's own (session, protocol version, resumption, framing).
 */
const RESERVED = new Set([
  'authorization',
  'mcp-session-id',
  'mcp-protocol-version',
  'last-event-id',
  'content-type',
  'content-length',
  'accept',
  'host',
  'connection',
  'transfer-encoding',
]);

// RFC 9110 §5.1: a field name is a token.
const FIELD_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const VARIABLE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * `--header "Name: value"` (repeatable) as a header map. `${VAR}` in a value is read from the environment,
 * so a secret (an API gateway key, say) can come from the host's `env` instead of the command line,
 * where `ps` and shell history would show it. Malformed, reserved or duplicate names and unset
 * variables are usage errors that never echo a value.
 */
export function parseHeaderOptions(values: readonly string[], env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const raw of values) {
    const colon = raw.indexOf(':');
    const name = (colon < 0 ? raw : raw.slice(0, colon)).trim();
    if (colon < 0 || !FIELD_NAME.test(name)) {
      throw new CliError('usage', `--header must look like "Name: value"; got a value starting ${JSON.stringify(raw.slice(0, 20))}.`);
    }
    const key = name.toLowerCase();
    if (key === 'authorization') {
      throw new CliError('usage', '--header cannot set Authorization: the bridge sends the token from your todo-mcp login (run `todo-mcp login <server-url>` to choose the account).');
    }
    if (RESERVED.has(key)) throw new CliError('usage', `--header cannot set ${name}: the MCP transport sets it.`);
    if (key in headers) throw new CliError('usage', `--header ${name} is given twice.`);
    const value = raw.slice(colon + 1).trim().replace(VARIABLE, (_, variable: string) => {
      const found = env[variable];
      if (found === undefined) throw new CliError('usage', `--header ${name} uses \${${variable}}, which is not set in the environment.`);
      return found;
    });
    if (/[\r\n\0]/.test(value)) throw new CliError('usage', `--header ${name} has a line break or NUL in its value.`);
    headers[key] = value;
  }
  return headers;
}
