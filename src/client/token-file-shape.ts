import type { StoredRegistration, TokenEntry, TokenFile } from './token-store.js';

/*
 * The token file's shape, checked by hand: it is read on every `todo-mcp call`, and loading a schema
 * library for it would cost more start-up time than the rest of the command. Only the CLI writes this
 * file; the check is there so a hand-edited or truncated file gives a clear error instead of a crash.
 */

type Check = (value: unknown) => boolean;

const string: Check = (v) => typeof v === 'string';
const nonEmpty: Check = (v) => typeof v === 'string' && v.length > 0;
const number: Check = (v) => typeof v === 'number' && Number.isFinite(v);
const strings: Check = (v) => Array.isArray(v) && v.every(string);
const optional = (check: Check): Check => (v) => v === undefined || check(v);
const oneOf = (...values: string[]): Check => (v) => typeof v === 'string' && values.includes(v);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const shape = (fields: Record<string, Check>): Check => (v) => isObject(v) && Object.entries(fields).every(([key, check]) => check(v[key]));

const registrationFields = {
  clientId: nonEmpty,
  clientSecret: optional(string),
  authMethod: oneOf('none', 'client_secret_basic', 'client_secret_post'),
  kind: oneOf('pre-registered', 'metadata-document', 'dynamic'),
  redirectUri: optional(string),
  grantTypes: optional(strings),
};

const isEntry = shape({
  server: string,
  resource: string,
  audience: optional(string),
  issuer: string,
  authorizationServer: shape({ issuer: string }),
  client: shape(registrationFields),
  accessToken: nonEmpty,
  tokenType: string,
  refreshToken: optional(string),
  expiresAt: optional(number),
  scopesRequested: strings,
  scopesGranted: strings,
  subject: optional(string),
  name: optional(string),
  updatedAt: number,
}) as (v: unknown) => v is TokenEntry;

const isStoredRegistration = shape({ ...registrationFields, issuer: string }) as (v: unknown) => v is StoredRegistration;

/** Whether a parsed tokens.json has the shape this version writes. */
export function isTokenFile(value: unknown): value is TokenFile {
  return (
    isObject(value) &&
    value.version === 1 &&
    Array.isArray(value.entries) &&
    value.entries.every(isEntry) &&
    Array.isArray(value.clients) &&
    value.clients.every(isStoredRegistration)
  );
}
