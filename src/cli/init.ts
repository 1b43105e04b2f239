import { createInterface } from 'node:readline/promises';
import { DEFAULT_CHECKLIST_VALUES, logtoChecklist } from '../config/provider-checklist.js';
import { PROVIDERS, renderInitialConfig, writeInitialConfig, type Provider } from '../config/write-initial-config.js';
import { CliError, EXIT } from './cli-error.js';
import type { CliContext } from './context.js';

export interface InitOptions {
  provider?: string;
  issuer?: string;
  resource?: string;
  clientId?: string;
  audience?: string;
  server?: string;
  port?: string;
  force?: boolean;
}

/** Asks on a terminal; off a terminal, a missing required value is a usage error naming the flag. */
async function askFor(ctx: CliContext, input: NodeJS.ReadableStream & { isTTY?: boolean }, question: string): Promise<string | undefined> {
  if (!input.isTTY) return undefined;
  const rl = createInterface({ input, output: ctx.stderr });
  try {
    return (await rl.question(`${question}: `)).trim() || undefined;
  } finally {
    rl.close();
  }
}

/** `todo-mcp init`: scaffolds todo-mcp.config.json and .env.example from templates/. */
export async function initCommand(options: InitOptions, ctx: CliContext, input: NodeJS.ReadableStream & { isTTY?: boolean } = process.stdin): Promise<number> {
  const provider = (options.provider ?? 'embedded') as Provider;
  if (!PROVIDERS.includes(provider)) throw new CliError('usage', `--provider must be one of ${PROVIDERS.join(', ')}; got ${options.provider}.`);
  const port = Number(options.port ?? 3001);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new CliError('usage', `--port must be a port number; got ${options.port}.`);

  let issuer = options.issuer;
  let clientId = options.clientId;
  if (provider !== 'embedded' && !issuer) issuer = await askFor(ctx, input, provider === 'logto' ? 'Logto issuer (https://<tenant>.logto.app/oidc)' : 'Issuer URL');
  if (provider === 'logto' && !clientId) clientId = await askFor(ctx, input, 'App ID of the Logto Native app for the CLI');
  const resource = options.resource ?? `http://localhost:${port}`;

  const rendered = await renderInitialConfig({
    provider,
    issuer,
    resource,
    server: options.server ?? `http://localhost:${port}/mcp`,
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
