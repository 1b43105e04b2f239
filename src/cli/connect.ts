import type { ClientError } from '../client/client-error.js';
import { COURTESY_AFTER_STOP_MS, interruption, whenAborted } from '../errors/interrupted.js';
import { resolveClientEnvironment, type LoginFlags } from './client-settings.js';
import { withLoginHint } from './client-errors.js';
import { sessionLogin } from './client-login-flow.js';
import { EXIT } from './cli-error.js';
import type { CliContext } from './context.js';
import { parseHeaderOptions } from './header-option.js';
import { painter } from './painter.js';

export interface ConnectOptions extends LoginFlags {
  /** --header "Name: value", repeatable. */
  header?: string[] | undefined;
  /** false with --no-login. */
  login?: boolean;
}

// After stdin ends, requests already sent still get their answers (a script may pipe a few messages and
// close): the wait is bounded by the login's own timeout, or this, whichever is longer.
const MIN_DRAIN_MS = 60_000;

/**
 * `todo-mcp connect [server-url]` (alias `bridge`): an MCP server on stdin/stdout for hosts that start
 * servers as processes, forwarding every message to the remote server with the CLI's login. stdout
 * carries protocol messages only; everything for people (login URL, device code, notes) goes to stderr.
 * Runs until stdin ends (exit 0), SIGINT (130) or SIGTERM (143), then ends the remote session.
 */
export async function connectCommand(options: ConnectOptions, ctx: CliContext): Promise<number> {
  const { stdin } = ctx;
  if (!stdin) throw new TypeError('connect needs the process stdin in its context');
  const env = resolveClientEnvironment(options, ctx);
  const headers = parseHeaderOptions(options.header ?? [], ctx.env);
  const drainMs = Math.max(options.loginTimeout * 1000, MIN_DRAIN_MS);
  const log = (line: string) => ctx.stderr.write(`todo-mcp connect: ${line}\n`);
  // The SDK transports load only for this command: the other commands never pay for them.
  const [{ StdioServerTransport }, { startBridge }, { createAuthorizedFetch }, { createHostRequests }] = await Promise.all([
    import('@modelcontextprotocol/sdk/server/stdio.js'),
    import('../bridge/bridge.js'),
    import('../bridge/authorized-fetch.js'),
    import('../bridge/host-requests.js'),
  ]);

  const login = options.login === false ? undefined : sessionLogin(env, options, ctx, painter(ctx.stderr, ctx.env));
  // The host's notifications/cancelled reaches a login waiting only for the cancelled request.
  const requests = createHostRequests();
  const bridge = await startBridge({
    host: new StdioServerTransport(stdin as NodeJS.ReadStream, ctx.stdout as NodeJS.WriteStream),
    serverUrl: env.serverUrl,
    fetch: createAuthorizedFetch({ serverUrl: env.serverUrl, store: env.store, headers, ...(login ? { login } : {}), requestSignal: requests.signalOf, log }),
    requests,
    log,
    explain: (error) => withLoginHint(error, env.serverUrl) as ClientError,
  });
  log(`forwarding MCP between stdin/stdout and ${env.serverUrl}.`);
  if (stdin.isTTY) log('it expects an MCP host on stdin (see "Use it from any MCP host" in the README); Ctrl-D or Ctrl-C ends it.');

  const hostGone = new Promise<'end'>((resolve) => {
    stdin.once('end', () => resolve('end'));
    // A host that died takes the pipe with it: writing fails with EPIPE.
    ctx.stdout.once('error', () => resolve('end'));
  });
  // The first Ctrl-C ends the bridge gracefully (the remote session is ended); main exits at a second one.
  const stopped = whenAborted(ctx.signal).then(() => 'signal' as const);
  let stop: 'end' | 'signal' = await Promise.race([hostGone, stopped]);
  if (stop === 'end') {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, drainMs)));
    stop = await Promise.race([bridge.drained().then(() => 'end' as const), timeout.then(() => 'end' as const), stopped]);
    clearTimeout(timer);
  }
  // Stopped by a signal, the DELETE is a courtesy that must not hold the exit past a second.
  await bridge.close(stop === 'end' ? undefined : COURTESY_AFTER_STOP_MS);
  // 130/143 and the one line saying what was interrupted come from main, as for every command.
  if (stop === 'signal') throw interruption(ctx.signal, `forwarding MCP between the host and ${env.serverUrl}`);
  return EXIT.ok;
}
