#!/usr/bin/env node
// tee-stdout.mjs <file> <command> [args…]: runs the command with stdin and stderr passed through, and
// copies every byte it writes to stdout into <file> as well, so a test can check all of it afterwards
// while a real MCP client reads the same bytes. Signals are passed on; the exit code is the command's.
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';

const [file, command, ...args] = process.argv.slice(2);
if (!file || !command) {
  console.error('usage: tee-stdout.mjs <file> <command> [args…]');
  process.exit(2);
}
const copy = createWriteStream(file);
const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'] });
process.stdin.pipe(child.stdin);
child.stdin.on('error', () => undefined);
child.stdout.on('data', (chunk) => {
  copy.write(chunk);
  process.stdout.write(chunk);
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => copy.end(() => process.exit(code ?? (signal === 'SIGINT' ? 130 : 143))));
