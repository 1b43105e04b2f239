import { DEFAULT_DEV_ACCOUNTS } from '../dev-auth/accounts.js';
import { DEFAULT_ROLE, ROLES } from '../policy/roles.js';
import { ALL_SCOPES, API_RESOURCE_NAME, SCOPE_DESCRIPTIONS } from '../policy/scopes.js';

/** Names `logto setup` gives the two Native apps; a later run finds them again by these names. */
export const APP_NAMES = { cli: 'todo-mcp CLI', inspector: 'todo-mcp Inspector' } as const;

export type AppKey = keyof typeof APP_NAMES;

export interface DesiredTenant {
  readonly resource: { readonly name: string; readonly indicator: string };
  readonly scopes: ReadonlyArray<{ readonly name: string; readonly description: string }>;
  readonly roles: ReadonlyArray<{ readonly name: string; readonly description: string; readonly scopes: readonly string[]; readonly isDefault: boolean }>;
  readonly apps: ReadonlyArray<{ readonly key: AppKey; readonly name: string; readonly redirectUri: string }>;
  /** Demo users (empty unless asked for): username and the roles they must hold. */
  readonly users: ReadonlyArray<{ readonly username: string; readonly roles: readonly string[] }>;
}

export interface DesiredTenantOptions {
  /** The MCP server's resource identifier = the API resource's indicator, exactly. */
  readonly resource: string;
  /** Redirect URI of the CLI's Native app (loopback, any port). */
  readonly cliRedirectUri: string;
  /** Redirect URI of the Inspector's Native app. */
  readonly inspectorRedirectUri: string;
  /** Also create the embedded server's accounts (admin, alice, bob) with their roles. Default: false. */
  readonly demoUsers?: boolean;
}

/** What the tenant must hold for todo-mcp: everything derived from src/policy, nothing restated. */
export function desiredTenant(options: DesiredTenantOptions): DesiredTenant {
  return {
    resource: { name: API_RESOURCE_NAME, indicator: options.resource },
    scopes: ALL_SCOPES.map((name) => ({ name, description: SCOPE_DESCRIPTIONS[name] })),
    roles: Object.entries(ROLES).map(([name, scopes]) => ({
      name,
      // Logto requires a description (at most 128 characters); say what the role grants.
      description: `${API_RESOURCE_NAME}: ${scopes.join(', ')}`.slice(0, 128),
      scopes,
      isDefault: name === DEFAULT_ROLE,
    })),
    apps: [
      { key: 'cli', name: APP_NAMES.cli, redirectUri: options.cliRedirectUri },
      { key: 'inspector', name: APP_NAMES.inspector, redirectUri: options.inspectorRedirectUri },
    ],
    users: options.demoUsers ? DEFAULT_DEV_ACCOUNTS.map((a) => ({ username: a.username, roles: a.roles })) : [],
  };
}
