import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CommandUnknownOpts } from '@commander-js/extra-typings';
import { describe, expect, it } from 'vitest';
import { createCommandRunner } from '../../src/cli/command-runner.js';
import type { CliContext } from '../../src/cli/context.js';
import { buildProgram } from '../../src/cli/program.js';

/* Issue 16: the README's Logto section starts with `logto setup`; the manual checklist stays, after it, as the fallback. */

const README = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');
const section = (() => {
  const start = README.indexOf('\n## Using a real Logto tenant\n');
  const end = README.indexOf('\n## ', start + 1);
  return README.slice(start, end === -1 ? undefined : end);
})();

const ctx = { env: {}, cwd: '/', stdout: process.stdout, stderr: process.stderr, signal: new AbortController().signal } as CliContext;
const program = buildProgram(createCommandRunner({ ctx, execute: async () => undefined }));
const setupFlags = new Set(
  ((program.commands.find((c) => c.name() === 'logto') as CommandUnknownOpts).commands.find((c) => c.name() === 'setup') as CommandUnknownOpts).options.map((o) => o.long),
);

describe("README: Using a real Logto tenant", () => {
  it('its first command block runs `todo-mcp logto setup` with flags the command declares, before anything else', () => {
    expect(section.length).toBeGreaterThan(0);
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(section)![1]!;
    const commands = firstBlock.split('\n').filter((line) => line.startsWith('todo-mcp '));
    expect(commands[0]).toMatch(/^todo-mcp logto setup /);
    for (const flag of commands[0]!.match(/--[a-z0-9-]+/g)!) expect(setupFlags, flag).toContain(flag);
  });

  it('keeps the manual checklist as the fallback, after the setup block', () => {
    const setupAt = section.indexOf('todo-mcp logto setup --endpoint');
    const checklistAt = section.indexOf('<!-- logto-checklist:start -->');
    expect(setupAt).toBeGreaterThan(-1);
    expect(checklistAt).toBeGreaterThan(setupAt);
  });
});
