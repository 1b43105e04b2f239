import { DEFAULT_CHECKLIST_VALUES } from '../config/provider-checklist.js';
import { error, ok, skipped, warning, type DoctorCheck } from './check.js';

/** How `todo-mcp login` would identify itself, as the user configured it. */
export interface LoginClientSettings {
  /** A pre-registered client id (`--client-id`, TODO_MCP_CLIENT_ID or the config file's "clientId"). Default: none. */
  readonly clientId?: string | undefined;
  /** `--client-metadata-url`: this CLI's Client ID Metadata Document. Default: none. */
  readonly clientMetadataUrl?: string | undefined;
}

export interface CheckLoginClientOptions {
  /** The authorization server's metadata; undefined when discovery failed (the check is then skipped). */
  readonly metadata?: { readonly issuer: string; readonly registration_endpoint?: string; readonly [key: string]: unknown };
  readonly client?: LoginClientSettings;
  /** The resource identifiers in play: the one the server publishes and the one configured here (either may be unknown). */
  readonly resources?: readonly (string | undefined)[];
}

const TITLE = 'Login can get a client id';

/**
 * The client side of login, in the order `login` itself tries (MCP 2025-11-25): a pre-registered client
 * id, else a Client ID Metadata Document the server accepts, else dynamic registration. Without any of
 * them `login` cannot start, so that is an error here with the fix, even while a cached token still works.
 * Also warns about a resource identifier ending in a slash.
 */
export function checkLoginClient(options: CheckLoginClientOptions): DoctorCheck[] {
  const slashed = [...new Set(options.resources ?? [])].filter((resource): resource is string => resource?.endsWith('/') === true);
  return [clientCheck(options), ...slashed.slice(0, 1).map(resourceSlashCheck)];
}

function clientCheck({ metadata, client = {} }: CheckLoginClientOptions): DoctorCheck {
  if (!metadata) return skipped('login-client', TITLE, 'The authorization server could not be read; fix that first.');
  const { issuer } = metadata;
  if (client.clientId) {
    return ok('login-client', TITLE, `pre-registered client id ${JSON.stringify(client.clientId)}.`);
  }
  const cimd = metadata.client_id_metadata_document_supported === true;
  if (cimd && client.clientMetadataUrl) {
    return ok('login-client', TITLE, `Client ID Metadata Document ${client.clientMetadataUrl} (${issuer} accepts them).`);
  }
  if (typeof metadata.registration_endpoint === 'string') {
    return ok('login-client', TITLE, `dynamic client registration at ${metadata.registration_endpoint}.`);
  }
  return error(
    'login-client',
    TITLE,
    `No client id is configured, and ${issuer} offers no dynamic client registration${cimd ? '' : ' and no Client ID Metadata Documents'}: \`todo-mcp login\` cannot start.`,
    `Register a Native app at ${issuer} (Logto Console → Applications → Create application → Native app) with the redirect URI exactly ` +
      `${DEFAULT_CHECKLIST_VALUES.cliRedirectUri} (any port is then accepted on loopback), then give its App ID to the CLI: \`todo-mcp login --client-id <app-id>\`, ` +
      `TODO_MCP_CLIENT_ID=<app-id>, or once for every command \`todo-mcp init --provider logto --issuer ${issuer} --client-id <app-id>\` (writes "clientId" to todo-mcp.config.json).` +
      (cimd ? ' It also accepts Client ID Metadata Documents: --client-metadata-url <https URL of one> works instead.' : ''),
  );
}

function resourceSlashCheck(resource: string): DoctorCheck {
  const bare = resource.replace(/\/+$/, '');
  return warning(
    'resource-slash',
    'Resource identifier without a trailing slash',
    `The resource identifier ${resource} ends in a slash. Authorization servers that compare resource indicators exactly, such as Logto, ` +
      `treat ${bare} and ${resource} as different resources, and refuse a mismatch at the authorization endpoint (invalid_target) before anyone signs in.`,
    `Prefer ${bare} — as the server's --resource, in the config file, and as the provider's API identifier — or make sure every one of them carries the identical slash.`,
  );
}
