import { createInterface } from 'node:readline/promises';
import { DEFAULT_CHECKLIST_VALUES, logtoChecklist } from '../config/provider-checklist.js';
import { defaultResource, defaultServerUrl } from '../config/defaults.js';
import type { Provider } from '../config/providers.js';
import { renderInitialConfig, writeInitialConfig } from '../config/write-initial-config.js';
import { InterruptedError, interruption } from '../errors/interrupted.js';
import { EXIT } from './cli-error.js';
import type { CliContext } from './context.js';

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

const WAIT = 'waiting for an answer at the prompt';

/**
 * Asks on a terminal (ctx.stdin); off a terminal, a missing required value is a usage error naming the
 * flag. On a terminal readline reads Ctrl-C as a key (raw mode), so no SIGINT reaches the process: it
 * ends the question as the signal would (130), and a SIGTERM (ctx.signal) ends it too. Ctrl-D answers nothing.
 */
async function askFor(ctx: CliContext, question: string): Promise<string | undefined> {
  const input = ctx.stdin;
  if (!input?.isTTY) return undefined;
  const rl = createInterface({ input, output: ctx.stderr });
  const ended = new Promise<string>((resolve, reject) => {
    rl.once('SIGINT', () => reject(new InterruptedError('SIGINT', WAIT)));
    rl.once('close', () => resolve(''));
  });
  try {
    return (await Promise.race([rl.question(`${question}: `, { signal: ctx.signal }), ended])).trim() || undefined;
  } catch (error) {
    // The line main prints goes below the unanswered question, not after it.
    ctx.stderr.write('\n');
    if (ctx.signal.aborted) throw interruption(ctx.signal, WAIT);
    throw error;
  } finally {
    rl.close();
  }
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
