import type { ServerMetadata } from 'openid-client';
import { describeNetworkError } from '../http/network-error.js';
import { ClientError } from './client-error.js';

export type TokenEndpointAuthMethod = 'none' | 'client_secret_basic' | 'client_secret_post';

/** The OAuth client the CLI acts as at one authorization server. */
export interface ClientRegistration {
  readonly clientId: string;
  /** Only for confidential clients (pre-registered with a secret, or a DCR answer that issued one). */
  readonly clientSecret?: string;
  readonly authMethod: TokenEndpointAuthMethod;
  /** How the client id was obtained. */
  readonly kind: 'pre-registered' | 'metadata-document' | 'dynamic';
  /** The redirect URI a dynamic registration was made with. */
  readonly redirectUri?: string;
  /** Grant types a dynamic registration was made with. */
  readonly grantTypes?: readonly string[];
}

export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

export interface ResolveClientOptions {
  readonly issuer: string;
  readonly metadata: ServerMetadata;
  /** `--client-id` (and its secret, if it has one): always wins. Default: none. */
  readonly preRegistered?: { readonly clientId: string; readonly clientSecret?: string };
  /** URL of this CLI's Client ID Metadata Document, used when the server supports them. Default: none. */
  readonly metadataDocumentUrl?: string;
  /** The redirect URI this login uses (registered with DCR). */
  readonly redirectUri: string;
  /** Grant types to register. Default: authorization_code and refresh_token. */
  readonly grantTypes?: readonly string[];
  /** A client this CLI registered at this server before; reused when it fits. Default: none. */
  readonly previous?: ClientRegistration;
  /** Name shown on consent screens. Default: 'todo-mcp CLI'. */
  readonly clientName?: string;
  /** fetch implementation. Default: the global `fetch`. */
  readonly fetch?: typeof fetch;
  /** Timeout of the registration request in milliseconds. Default: 10000. */
  readonly timeoutMs?: number;
}

/** With a secret, the method the server supports (RFC 8414's default is client_secret_basic). */
export function secretAuthMethod(supported: readonly string[] | undefined): TokenEndpointAuthMethod {
  const methods = supported ?? ['client_secret_basic'];
  if (methods.includes('client_secret_basic')) return 'client_secret_basic';
  if (methods.includes('client_secret_post')) return 'client_secret_post';
  return 'none';
}

const METHODS: readonly string[] = ['none', 'client_secret_basic', 'client_secret_post'];

/**
 * The client id to use, in the order MCP 2025-11-25 gives: a pre-registered client, else a Client ID
 * Metadata Document when the server advertises support, else Dynamic Client Registration (reusing an
 * earlier registration when its redirect URI and grant types fit), else an error telling the user how
 * to register one.
 */
export async function resolveClient(options: ResolveClientOptions): Promise<ClientRegistration> {
  const { metadata, issuer } = options;
  const supported = metadata.token_endpoint_auth_methods_supported;
  const grantTypes = options.grantTypes ?? ['authorization_code', 'refresh_token'];

  if (options.preRegistered) {
    const { clientId, clientSecret } = options.preRegistered;
    return clientSecret
      ? { kind: 'pre-registered', clientId, clientSecret, authMethod: secretAuthMethod(supported) }
      : { kind: 'pre-registered', clientId, authMethod: 'none' };
  }
  if (options.metadataDocumentUrl && metadata.client_id_metadata_document_supported === true) {
    return { kind: 'metadata-document', clientId: options.metadataDocumentUrl, authMethod: 'none' };
  }
  const endpoint = metadata.registration_endpoint;
  if (typeof endpoint !== 'string') {
    const cimd = metadata.client_id_metadata_document_supported === true
      ? ' It accepts Client ID Metadata Documents: pass the URL of one with --client-metadata-url.'
      : '';
    throw new ClientError(
      'registration_required',
      `The authorization server ${issuer} does not offer dynamic client registration.${cimd} ` +
        'Register a native (public) application there with the redirect URI http://127.0.0.1/callback, ' +
        'then pass its id with --client-id (or TODO_MCP_CLIENT_ID, or "clientId" in todo-mcp.config.json).',
    );
  }
  const previous = options.previous;
  if (
    previous?.kind === 'dynamic' &&
    previous.redirectUri === options.redirectUri &&
    grantTypes.every((grant) => previous.grantTypes?.includes(grant))
  ) {
    return previous;
  }
  return registerDynamically(endpoint, grantTypes, options);
}

async function registerDynamically(endpoint: string, grantTypes: readonly string[], options: ResolveClientOptions): Promise<ClientRegistration> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const body = {
    client_name: options.clientName ?? 'todo-mcp CLI',
    application_type: 'native',
    redirect_uris: [options.redirectUri],
    grant_types: grantTypes,
    response_types: ['code'],
    token_endpoint_auth_method: 'none',
  };
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new ClientError('unreachable', `Cannot reach the registration endpoint ${endpoint}: ${describeNetworkError(error, timeoutMs)}`, { cause: error });
  }
  const answer = (await response.json().catch(() => undefined)) as Record<string, unknown> | undefined;
  if (response.status < 200 || response.status > 299 || typeof answer?.client_id !== 'string') {
    const reason = typeof answer?.error === 'string' ? `${answer.error}${typeof answer.error_description === 'string' ? `: ${answer.error_description}` : ''}` : `HTTP ${response.status}`;
    throw new ClientError(
      'registration_required',
      `Dynamic client registration at ${endpoint} failed (${reason}). Register a native application there and pass its id with --client-id.`,
    );
  }
  const secret = typeof answer.client_secret === 'string' && answer.client_secret !== '' ? answer.client_secret : undefined;
  const granted = typeof answer.token_endpoint_auth_method === 'string' ? answer.token_endpoint_auth_method : undefined;
  let authMethod: TokenEndpointAuthMethod;
  if (granted && METHODS.includes(granted)) authMethod = granted as TokenEndpointAuthMethod;
  else if (granted) {
    throw new ClientError('unsupported_server', `The authorization server registered this CLI with token_endpoint_auth_method ${granted}, which it cannot use.`);
  } else authMethod = secret ? secretAuthMethod(options.metadata.token_endpoint_auth_methods_supported) : 'none';
  return {
    kind: 'dynamic',
    clientId: answer.client_id,
    ...(secret && authMethod !== 'none' ? { clientSecret: secret } : {}),
    authMethod,
    redirectUri: options.redirectUri,
    grantTypes: [...grantTypes],
  };
}
