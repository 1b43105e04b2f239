import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startTimeoutFor, wrapped } from './serve-process.mjs';

const SERVERS = {
  'plain-express': '../servers/plain-express.mjs',
  'bare-sdk': '../servers/bare-sdk.mjs',
};

/** Starts one bench server in its own Node process and waits for it to listen. */
export function startChildServer(kind, options = {}, { wrap, startTimeoutMs = startTimeoutFor(wrap) } = {}) {
  const script = fileURLToPath(new URL(SERVERS[kind], import.meta.url));
  const child = fork(script, [JSON.stringify(options)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], ...wrapped(wrap) });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));

  const request = (type, expect, extra = {}) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${kind}: no ${expect} answer`)), startTimeoutMs);
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
      reject(new Error(`${kind} did not start within ${startTimeoutMs} ms`));
    }, startTimeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${kind} exited with code ${code} before it was ready`));
    });
    child.on('message', function onMessage(message) {
      if (message?.type === 'failed') {
        clearTimeout(timer);
        reject(new Error(`${kind} failed to start: ${message.message}`));
      }
      if (message?.type !== 'ready') return;
      clearTimeout(timer);
      child.off('message', onMessage);
      const { type: _type, ...info } = message;
      resolve({
        ...info,
        pid: child.pid,
        url: `http://127.0.0.1:${info.port}/mcp`,
        /** This process's resource usage (peak RSS in KiB, CPU time) and server counters. */
        stats: () => request('stats', 'stats'),
        /** Starts the V8 CPU profiler in the server process. */
        profileStart: () => request('profile-start', 'profile-started'),
        /** Stops it and writes the .cpuprofile to `file`. */
        profileStop: (file) => request('profile-stop', 'profile-stopped', { file }),
        /** Asks the server to close cleanly, killing it if it hangs. */
        async close() {
          if (child.exitCode !== null || child.signalCode !== null) return;
          child.send({ type: 'close' });
          const timeout = setTimeout(() => child.kill('SIGKILL'), 10_000);
          await exited;
          clearTimeout(timeout);
        },
      });
    });
  });
}
