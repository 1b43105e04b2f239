import { OAUTH_METADATA_PATH } from './http-front.js';
import { DEV_CLI_CLIENT_ID } from './provider-config.js';
import type { DevAuthServer } from './start-dev-auth-server.js';

const pad = (value: string, width: number) => value.padEnd(width);

/**
 * The start-up banner: says loudly that this is for development, and lists what a developer needs
 * to sign in (accounts and their development passwords) and to point a client at it (URLs).
 */
export function formatDevAuthBanner(
  server: Pick<DevAuthServer, 'issuer' | 'origin' | 'accounts' | 'devPasswords' | 'dataDir' | 'resources'>,
): string {
  const rule = '-'.repeat(72);
  // Passwords other than the documented ones came from the user's config: never print them.
  const password = (username: string) => server.devPasswords[username] ?? '(configured)';
  const nameWidth = Math.max(8, ...server.accounts.map((a) => a.username.length)) + 2;
  const passwordWidth = Math.max(8, ...server.accounts.map((a) => password(a.username).length)) + 2;
  const rolesWidth = Math.max(5, ...server.accounts.map((a) => a.roles.join(',').length)) + 2;
  const accountLines = server.accounts.map(
    (a) =>
      `    ${pad(a.username, nameWidth)}${pad(password(a.username), passwordWidth)}${pad(a.roles.join(','), rolesWidth)}${a.scopes.join(' ') || '(no scopes)'}`,
  );
  return [
    rule,
    '  DEVELOPMENT ONLY - embedded OAuth authorization server (todo-mcp)',
    '  Not for production: well-known passwords, keys kept on local disk.',
    rule,
    `  Issuer:       ${server.issuer}`,
    `  Metadata:     ${server.origin}${OAUTH_METADATA_PATH}`,
    `  JWKS:         ${server.issuer}/jwks`,
    `  Device login: ${server.issuer}/device`,
    `  Resources:    ${server.resources.join(' ')}`,
    `  CLI client:   ${DEV_CLI_CLIENT_ID} (redirect http://127.0.0.1:<any port>/callback)`,
    '  Accounts:',
    `    ${pad('username', nameWidth)}${pad('password', passwordWidth)}${pad('roles', rolesWidth)}scopes`,
    ...accountLines,
    `  State:        ${server.dataDir}`,
    rule,
  ].join('\n');
}
