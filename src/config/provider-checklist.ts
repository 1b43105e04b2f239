import { ROLES } from '../policy/roles.js';
import { API_RESOURCE_NAME, SCOPE_DESCRIPTIONS, ALL_SCOPES } from '../policy/scopes.js';
import { DEFAULTS, defaultResource } from './defaults.js';

/** Values the provider must be configured with; the checklist and the README are rendered from them. */
export interface ChecklistValues {
  /** The MCP server's resource identifier (= the API resource indicator). */
  resource: string;
  /** Redirect URI of the MCP Inspector's OAuth flow. */
  inspectorRedirectUri: string;
  /** Redirect URI to register for the CLI (any port on loopback). */
  cliRedirectUri: string;
}

export const DEFAULT_CHECKLIST_VALUES: ChecklistValues = {
  resource: defaultResource(DEFAULTS.port),
  inspectorRedirectUri: 'http://127.0.0.1:6274/oauth/callback',
  cliRedirectUri: 'http://127.0.0.1/callback',
};

/**
 * The Logto Console steps for this configuration, as Markdown list lines. `todo-mcp init --provider logto`
 * prints it and the README embeds it, so both always say the same thing (a test compares them).
 */
export function logtoChecklist(values: ChecklistValues = DEFAULT_CHECKLIST_VALUES): string[] {
  const roleLines = Object.entries(ROLES).map(([role, scopes]) => `   - **${role}**: ${scopes.map((s) => `\`${s}\``).join(', ')}`);
  return [
    `1. **API resource**: API resources → Create API resource, name \`${API_RESOURCE_NAME}\`, API identifier (resource indicator) exactly \`${values.resource}\` — no trailing slash: it must equal \`--resource\` byte for byte. Logto compares exactly and refuses any other indicator at the authorization endpoint, redirecting back with \`invalid_target\` before the sign-in page appears.`,
    '2. **Permissions (scopes)** on that API resource:',
    ...ALL_SCOPES.map((scope) => `   - \`${scope}\` — ${SCOPE_DESCRIPTIONS[scope]}`),
    '3. **Roles**: Roles → create two roles and assign the API permissions:',
    ...roleLines,
    '4. **Default role**: open the **User** role → General → set it as a default role, so new users get `create:todos`.',
    '5. **Users**: User management → pick a user → Roles → assign **Admin** to administrators.',
    `6. **CLI app** (required: Logto has no dynamic client registration, so the CLI needs a pre-registered client id): Applications → Create application → **Native app**, redirect URI exactly \`${values.cliRedirectUri}\` (any port is then accepted on loopback). Copy its App ID into \`clientId\` (\`todo-mcp init --provider logto --client-id <app-id>\`) or pass \`--client-id\`; \`todo-mcp doctor\` reports it when it is missing.`,
    `7. **Inspector app**: Applications → Create application → **Native app** (the Inspector 2.x makes its OAuth requests from its own backend), redirect URI \`${values.inspectorRedirectUri}\` — exactly what the Inspector shows under Settings → OAuth Settings → Redirect URI (older Inspectors, as in the tutorial, used a Single page app with \`http://localhost:6274/oauth/callback\`). Enter its App ID as the Client ID there, with scopes \`${ALL_SCOPES.join(' ')}\`.`,
    '8. **Refresh tokens**: nothing to switch on. A Logto Native app has no "Refresh token" switch: refresh tokens come by default (its card has **Rotate refresh token**, keep it on, and the refresh token TTL). The CLI asks for `offline_access` with `prompt=consent`; Logto shows no consent page for first-party apps, and its token response lists only the API scopes (no `offline_access`) although it does return a refresh token.',
  ];
}
