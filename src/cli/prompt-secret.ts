import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { InterruptedError, interruption } from '../errors/interrupted.js';

const WAIT = 'waiting for the secret at the prompt';

/**
 * Asks for a secret on a terminal without echoing it: readline edits the line as usual, but its echo goes
 * to a stream that drops everything. Resolves undefined on Ctrl-D. The terminal is in raw mode, so Ctrl-C
 * reaches readline as a key, not the process as SIGINT: it rejects with an InterruptedError (SIGINT) as
 * the signal would; so does aborting `signal` (a SIGTERM from outside), with its reason.
 */
export function promptSecret(question: string, input: NodeJS.ReadableStream, output: NodeJS.WritableStream, signal?: AbortSignal): Promise<string | undefined> {
  const silent = new Writable({ write: (_chunk, _encoding, callback) => callback() });
  // The interface first: it turns the terminal's own echo off (raw mode) before the question invites typing.
  const rl = createInterface({ input, output: silent, terminal: true });
  output.write(question);
  return new Promise((resolve, reject) => {
    let answered = false;
    const finish = (settle: () => void) => {
      if (answered) return;
      answered = true;
      signal?.removeEventListener('abort', onAbort);
      output.write('\n');
      rl.close();
      settle();
    };
    const onAbort = () => finish(() => reject(interruption(signal!, WAIT)));
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    rl.on('line', (line) => finish(() => resolve(line)));
    rl.on('SIGINT', () => finish(() => reject(new InterruptedError('SIGINT', WAIT))));
    rl.on('close', () => finish(() => resolve(undefined)));
  });
}
