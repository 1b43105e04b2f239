import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { InterruptedError, interruption } from '../errors/interrupted.js';

const WAIT = 'waiting for an answer at the prompt';

export interface TerminalPromptOptions {
  /** The terminal to read (the command's ctx.stdin). */
  readonly input: NodeJS.ReadableStream;
  /** Where the question goes, and the typing unless `hidden` (the command's ctx.stderr). */
  readonly output: NodeJS.WritableStream;
  /** Do not echo what is typed (a secret). Default: false. */
  readonly hidden?: boolean;
  /** Aborting it (SIGTERM, via ctx.signal) ends the question with the signal's reason. Default: none. */
  readonly signal?: AbortSignal;
}

/**
 * Asks one question on a terminal and resolves with the line typed (undefined on Ctrl-D). readline puts
 * the terminal in raw mode, so Ctrl-C reaches it as a key, not the process as SIGINT: it rejects with an
 * InterruptedError (SIGINT) as the signal would, and aborting `signal` rejects with its reason, so every
 * prompt ends the command like any other wait (130/143, one line). For a hidden answer readline still
 * edits the line, but its echo goes to a stream that drops everything.
 */
export function askOnTerminal(question: string, options: TerminalPromptOptions): Promise<string | undefined> {
  const { input, output, hidden = false, signal } = options;
  const echo = hidden ? new Writable({ write: (_chunk, _encoding, callback) => callback() }) : output;
  // The interface first: it turns the terminal's own echo off (raw mode) before the question invites typing.
  const rl = createInterface({ input, output: echo, terminal: true });
  output.write(question);
  return new Promise((resolve, reject) => {
    let answered = false;
    const finish = (settle: () => void, newline: boolean) => {
      if (answered) return;
      answered = true;
      signal?.removeEventListener('abort', onAbort);
      // Whatever comes next starts on its own line (readline echoes Enter only when it echoes at all).
      if (newline) output.write('\n');
      rl.close();
      settle();
    };
    const onAbort = () => finish(() => reject(interruption(signal!, WAIT)), true);
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    rl.on('line', (line) => finish(() => resolve(line), hidden));
    rl.on('SIGINT', () => finish(() => reject(new InterruptedError('SIGINT', WAIT)), true));
    rl.on('close', () => finish(() => resolve(undefined), true));
  });
}
