import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/todo-mcp.js', import.meta.url));
const HOOK = new URL('../servers/serve-hook.mjs', import.meta.url).href;
const READY = /MCP endpoint\s+http:\/\/localhost:(\d+)\/mcp\s+resource\s+(\S+)/;
const REQUEST_LINE = '"msg":"request"';

/**
 * fork's options that run Node under `wrap` (a command and its arguments, e.g. valgrind's) instead of
 * directly: fork starts `execPath ...execArgv script`, so the wrapper becomes execPath and Node its first
 * argument. The IPC channel is inherited through the environment, so it reaches Node unchanged.
 */
export function wrapped(wrap, execArgv = []) {
  if (!wrap?.length) return { execArgv };
  return { execPath: wrap[0], execArgv: [...wrap.slice(1), process.execPath, ...execArgv] };
}

/** How long a server may take to start: a minute, ten under a wrapper (valgrind runs it ~50× slower). */
export const startTimeoutFor = (wrap) => (wrap?.length ? 600_000 : 60_000);

/**
 * `todo-mcp serve` exactly as a user starts it (bin/todo-mcp.js, the real CLI and its defaults), its
 * stdout a pipe read by this process as a process manager reads it: the request log goes out as JSON
 * lines, and is counted here. `args` are serve's flags. A small `--import` hook answers the bench's
 * `stats` and profiling messages over IPC (see servers/serve-hook.mjs); it stops with SIGTERM.
 */
export function startServeProcess(args, { env = {}, wrap, startTimeoutMs = startTimeoutFor(wrap) } = {}) {
  const child = fork(BIN, ['serve', '--port', '0', ...args], {
    ...wrapped(wrap, ['--import', HOOK]),
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env: { ...process.env, NO_COLOR: '1', TODO_MCP_CONFIG: undefined, TODO_MCP_LOG_LEVEL: undefined, TODO_MCP_LOG_FORMAT: undefined, ...env },
  });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  let head = '';
  let loggedRequests = 0;
  let carry = '';
  // Counts request lines without splitting the output into lines: a substring search per chunk (the
  // last few characters carried over, in case a marker is cut in two).
  child.stdout.on('data', (chunk) => {
    const text = carry + chunk.toString('latin1');
    for (let at = text.indexOf(REQUEST_LINE); at !== -1; at = text.indexOf(REQUEST_LINE, at + 1)) loggedRequests += 1;
    carry = text.slice(-(REQUEST_LINE.length - 1));
    if (head.length < 64 * 1024) head += chunk.toString();
  });
  child.stderr.on('data', (chunk) => {
    if (head.length < 64 * 1024) head += chunk.toString();
  });

  const request = (type, expect, extra = {}) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`serve: no ${expect} answer`)), startTimeoutMs);
      const onMessage = (message) => {
        if (message?.type !== expect) return;
        clearTimeout(timer);
        child.off('message', onMessage);
        resolve(message);
      };
      child.on('message', onMessage);
      child.send({ type, ...extra });
    });

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`todo-mcp serve did not start within ${startTimeoutMs} ms:\n${head}`));
    }, startTimeoutMs);
    const onExit = (code) => {
      clearTimeout(timer);
      reject(new Error(`todo-mcp serve exited with ${code} before it was ready:\n${head}`));
    };
    child.once('exit', onExit);
    const onData = () => {
      const match = READY.exec(head);
      if (!match) return;
      clearTimeout(timer);
      child.off('exit', onExit);
      child.stdout.off('data', onData);
      const port = Number(match[1]);
      resolve({
        pid: child.pid,
        port,
        resource: match[2],
        url: `http://127.0.0.1:${port}/mcp`,
        /** The endpoint as the banner prints it (what a user gives the CLI). */
        mcpUrl: `http://localhost:${port}/mcp`,
        /** Request lines the server has written so far. */
        get loggedRequests() {
          return loggedRequests;
        },
        stats: () => request('stats', 'stats'),
        profileStart: () => request('profile-start', 'profile-started'),
        profileStop: (file) => request('profile-stop', 'profile-stopped', { file }),
        /** SIGTERM, as a process manager stops it; SIGKILL if it hangs. */
        async close() {
          if (child.exitCode !== null || child.signalCode !== null) return;
          child.kill('SIGTERM');
          const timeout = setTimeout(() => child.kill('SIGKILL'), 10_000);
          await exited;
          clearTimeout(timeout);
        },
      });
    };
    child.stdout.on('data', onData);
  });
}
