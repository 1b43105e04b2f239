import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';

/**
 * Asks for a secret on a terminal without echoing it: readline edits the line as usual, but its echo goes
 * to a stream that drops everything. Resolves undefined on Ctrl-C or Ctrl-D (the terminal is in raw mode,
 * so Ctrl-C reaches readline, not the process).
 */
export function promptSecret(question: string, input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Promise<string | undefined> {
  const silent = new Writable({ write: (_chunk, _encoding, callback) => callback() });
  // The interface first: it turns the terminal's own echo off (raw mode) before the question invites typing.
  const rl = createInterface({ input, output: silent, terminal: true });
  output.write(question);
  return new Promise((resolve) => {
    let answered = false;
    const finish = (value: string | undefined) => {
      if (answered) return;
      answered = true;
      output.write('\n');
      rl.close();
      resolve(value);
    };
    rl.on('line', (line) => finish(line));
    rl.on('SIGINT', () => finish(undefined));
    rl.on('close', () => finish(undefined));
  });
}
