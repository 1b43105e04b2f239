import { DEFAULT_CHECKLIST_VALUES, logtoChecklist } from '../config/provider-checklist.js';
import { defaultResource, defaultServerUrl } from '../config/defaults.js';
import type { Provider } from '../config/providers.js';
import { renderInitialConfig, writeInitialConfig } from '../config/write-initial-config.js';
import { EXIT } from './cli-error.js';
import type { CliContext } from './context.js';
import { askOnTerminal } from './terminal-prompt.js';

export interface InitOptions {
  provider: Provider;
  issuer?: string | undefined;
  /** Default: `http://localhost:<port>`. */
  resource?: string | undefined;
  clientId?: string | undefined;
  audience?: string | undefined;
  /** Default: `http://localhost:<port>/mcp`. */
  server?: string | undefined;
  /** The MCP server's port (1–65535). */
  port: number;
  force?: boolean | undefined;
}

/** Asks on a terminal (ctx.stdin); off a terminal, a missing required value is a usage error naming the flag. */
async function askFor(ctx: CliContext, question: string): Promise<string | undefined> {
  const input = ctx.stdin;
  if (!input?.isTTY) return undefined;
  return (await askOnTerminal(`${question}: `, { input, output: ctx.stderr, signal: ctx.signal }))?.trim() || undefined;
}

/** `todo-mcp init`: scaffolds todo-mcp.config.json and .env.example from templates/. */
export async function initCommand(options: InitOptions, ctx: CliContext): Promise<number> {
  const { provider, port } = options;

  let issuer = options.issuer;
  let clientId = options.clientId;
  if (provider !== 'embedded' && !issuer) issuer = await askFor(ctx, provider === 'logto' ? 'Logto issuer (https://<tenant>.logto.app/oidc)' : 'Issuer URL');
  if (provider === 'logto' && !clientId) clientId = await askFor(ctx, 'App ID of the Logto Native app for the CLI');
  const resource = options.resource ?? defaultResource(port);

  const rendered = await renderInitialConfig({
    provider,
    issuer,
    resource,
    server: options.server ?? defaultServerUrl(port),
    clientId,
    audience: options.audience,
    port,
  });
  const written = await writeInitialConfig(ctx.cwd, rendered, { force: options.force });
  ctx.stdout.write(`Wrote ${written.join(' and ')} (${provider}).\n`);

  if (provider === 'logto') {
    ctx.stdout.write(`\nIn the Logto Console, set up:\n\n${logtoChecklist({ ...DEFAULT_CHECKLIST_VALUES, resource }).join('\n')}\n`);
  }
  const next = provider === 'embedded' ? 'todo-mcp serve' : `todo-mcp serve, then todo-mcp doctor`;
  ctx.stdout.write(`\nNext: ${next}\n`);
  return EXIT.ok;
}
