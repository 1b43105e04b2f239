import { parseScopeString } from '../oauth/scope-string.js';

/** What a resource server's `WWW-Authenticate: Bearer …` challenge tells a client (RFC 6750 §3, RFC 9728 §5.1). */
export interface BearerChallenge {
  /** `invalid_token`, `insufficient_scope`, … (absent when the request carried no credentials). */
  readonly error?: string;
  readonly errorDescription?: string;
  /** Scopes the server asks for, split on spaces. */
  readonly scope?: readonly string[];
  /** URL of the Protected Resource Metadata. */
  readonly resourceMetadata?: string;
}

interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

const TOKEN = /[!#$%&'*+\-.^_`|~0-9A-Za-z]+/y;
const TOKEN68 = /[A-Za-z0-9\-._~+/]+=*/y;

/**
 * Parses a `WWW-Authenticate` value (RFC 9110 §11.6.1: comma-separated challenges, each a scheme followed
 * by a token68 or by `name=value` pairs, values being tokens or quoted strings) into challenges.
 * Malformed input yields what could be read before the problem, never an exception.
 */
export function parseWwwAuthenticate(header: string): Challenge[] {
  const challenges: Challenge[] = [];
  let i = 0;
  const skipSpace = () => {
    while (i < header.length && (header[i] === ' ' || header[i] === '\t')) i += 1;
  };
  const skipSeparators = () => {
    while (i < header.length && (header[i] === ' ' || header[i] === '\t' || header[i] === ',')) i += 1;
  };
  const match = (re: RegExp): string | undefined => {
    re.lastIndex = i;
    const m = re.exec(header);
    if (!m) return undefined;
    i = re.lastIndex;
    return m[0];
  };
  const quoted = (): string | undefined => {
    if (header[i] !== '"') return undefined;
    let value = '';
    for (i += 1; i < header.length; i += 1) {
      const c = header[i]!;
      if (c === '\\' && i + 1 < header.length) {
        i += 1;
        value += header[i];
      } else if (c === '"') {
        i += 1;
        return value;
      } else {
        value += c;
      }
    }
    return value;
  };

  skipSeparators();
  while (i < header.length) {
    const scheme = match(TOKEN);
    if (!scheme) break;
    const challenge: Challenge = { scheme: scheme.toLowerCase(), params: {} };
    challenges.push(challenge);
    skipSpace();
    // Parameters follow until the next `token SP` that is not `token =` (the start of another challenge).
    for (;;) {
      skipSeparators();
      const start = i;
      const name = match(TOKEN);
      if (!name) break;
      skipSpace();
      if (header[i] !== '=') {
        i = start;
        break;
      }
      if (header[i + 1] === '=' || i + 1 >= header.length || header[i + 1] === ',') {
        // token68 ending in '=' (e.g. `Basic abc=`), not a parameter.
        i = start;
        if (match(TOKEN68) === undefined) break;
        continue;
      }
      i += 1;
      skipSpace();
      const value = quoted() ?? match(TOKEN) ?? '';
      challenge.params[name.toLowerCase()] = value;
    }
  }
  return challenges;
}

/** The Bearer challenge of a `WWW-Authenticate` value, if it has one. */
export function parseBearerChallenge(header: string | null | undefined): BearerChallenge | undefined {
  if (!header) return undefined;
  const bearer = parseWwwAuthenticate(header).find((c) => c.scheme === 'bearer');
  if (!bearer) return undefined;
  const { params } = bearer;
  const scope = parseScopeString(params.scope);
  return {
    ...(params.error ? { error: params.error } : {}),
    ...(params.error_description ? { errorDescription: params.error_description } : {}),
    ...(scope && scope.length > 0 ? { scope } : {}),
    ...(params.resource_metadata ? { resourceMetadata: params.resource_metadata } : {}),
  };
}
