import type { RequestHandler, Response } from 'express';
import { OAuthError } from './oauth-error.js';
import { rolesGranting } from '../policy/roles.js';
import { ALL_SCOPES } from '../policy/scopes.js';
import { missingScopes } from '../policy/tool-policy.js';
import { sendBearerError } from './send-bearer-error.js';

/**
 * The scopes to put in a step-up challenge: what is needed plus what the token already has of ours.
 * MCP 2025-11-25 recommends "existing + new" because clients such as the TypeScript SDK (1.32) replace
 * their requested scope with the challenge's, and would otherwise lose the scopes they hold.
 */
export function stepUpScopes(granted: readonly string[], needed: readonly string[]): string[] {
  const known: readonly string[] = ALL_SCOPES;
  const ours = known.filter((scope) => granted.includes(scope) || needed.includes(scope));
  return [...ours, ...needed.filter((scope) => !known.includes(scope))];
}

/**
 * Answer 403 `insufficient_scope` with `scope` (granted ∪ missing, see {@link stepUpScopes}) and
 * `resource_metadata` in the challenge, and `{ error, error_description }` as the body.
 */
function sendInsufficientScope(
  res: Response,
  options: {
    /** Absolute URL of the Protected Resource Metadata. */
    resourceMetadataUrl: string;
    /** The scopes the request lacks. */
    missing: readonly string[];
    /** The scopes the token has. Default: none. */
    granted?: readonly string[];
    /** Public error_description. Default: names the missing scopes. */
    description?: string;
  },
): void {
  const description = options.description ?? `This request needs the scope ${options.missing.join(' ')}`;
  const error = new OAuthError('insufficient_scope', description, {
    scope: stepUpScopes(options.granted ?? [], options.missing),
  });
  sendBearerError(res, error, { resourceMetadataUrl: options.resourceMetadataUrl });
}

/**
 * Middleware for the MCP endpoint: for a parsed JSON-RPC `tools/call` (a single message or a batch),
 * answer 403 `insufficient_scope` when the token lacks a scope the tool policy (src/policy) requires.
 * Everything else (other methods, unknown tools, unparsed bodies) passes through untouched. Mount it after
 * the bearer middleware: a request with no identity is a wiring bug, passed to `next(error)`.
 */
export function createToolScopeGuard(options: {
  /** Absolute URL of the Protected Resource Metadata. */
  resourceMetadataUrl: string;
}): RequestHandler {
  return (req, res, next) => {
    const identity = res.locals.identity;
    if (!identity) {
      next(new Error('tool scope guard mounted without the bearer middleware before it'));
      return;
    }
    const messages: unknown[] = Array.isArray(req.body) ? req.body : [req.body];
    const missing = new Set<string>();
    const tools: string[] = [];
    for (const message of messages) {
      const tool = calledTool(message);
      if (tool === undefined) continue;
      const lacking = missingScopes(tool, identity.scopes);
      if (lacking.length === 0) continue;
      // Only known tool names reach here (missingScopes is empty for others), so echoing it is safe.
      tools.push(tool);
      for (const scope of lacking) missing.add(scope);
    }
    if (missing.size === 0) {
      next();
      return;
    }
    const needed = [...missing];
    const roles = [...new Set(needed.flatMap((scope) => rolesGranting(scope)))];
    const description =
      `The ${tools.join(', ')} tool needs the scope ${needed.join(' ')}` +
      (roles.length > 0 ? ` (granted to the role ${roles.join(' or ')})` : '');
    sendInsufficientScope(res, { resourceMetadataUrl: options.resourceMetadataUrl, missing: needed, granted: identity.scopes, description });
  };
}

function calledTool(message: unknown): string | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const { method, params } = message as { method?: unknown; params?: unknown };
  if (method !== 'tools/call' || typeof params !== 'object' || params === null) return undefined;
  const name = (params as { name?: unknown }).name;
  return typeof name === 'string' ? name : undefined;
}
