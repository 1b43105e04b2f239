import { describe, expect, it } from 'vitest';
import { expectedExit, outputLinePattern, readmeSteps, splitComment } from './support/readme-steps.js';

/** The README reader the walkthrough relies on: if it misreads, the walkthrough tests the wrong thing. */
const README = [
  '# x',
  '## Quick start (embedded default)',
  'Start it:',
  '```sh',
  'npm install && npm start   # keep it running',
  '```',
  'Log in as **alice**, then:',
  '```sh',
  '$ npx todo-mcp login',
  '# a comment line',
  'npx todo-mcp call create-todo \\',
  '  content="Buy #1 milk"',
  '```',
  '```text',
  'Created todo 3f0c…  Buy #1 milk',
  '',
  '```',
  'alice sees her own. Now log in as **admin**:',
  '```bash',
  'npx todo-mcp call delete-todo id=<id from get-todos>   # exits 0',
  '```',
  '## Next section',
  '```sh',
  'not a step',
  '```',
].join('\n');

describe('readmeSteps', () => {
  const steps = readmeSteps(README);

  it('reads every command line of the section, in order, with comments and continuations', () => {
    expect(steps.map((s) => [s.index, s.fence, s.command, s.comment, s.lastOfFence])).toEqual([
      [1, 1, 'npm install && npm start', 'keep it running', true],
      [2, 2, 'npx todo-mcp login', '', false],
      [3, 2, 'npx todo-mcp call create-todo    content="Buy #1 milk"', '', true],
      [4, 3, 'npx todo-mcp call delete-todo id=<id from get-todos>', 'exits 0', true],
    ]);
  });

  it('keeps the prose before each block and attaches an output block to the end of its command block', () => {
    expect(steps[1]!.prose).toBe('Log in as **alice**, then:');
    expect(steps[3]!.prose).toContain('log in as **admin**');
    expect(steps[2]!.expectedOutput).toEqual(['Created todo 3f0c…  Buy #1 milk']);
    expect(steps[1]!.expectedOutput).toEqual([]);
  });

  it('finds nothing without a Quick start heading', () => {
    expect(readmeSteps('# x\n```sh\nls\n```')).toEqual([]);
  });
});

describe('output lines as patterns', () => {
  it('lets abbreviated ids, timestamps, placeholders and spacing vary; everything else must match', () => {
    const row = outputLinePattern('3f0c…     Buy milk  alice    2026-11-26T08:06:46.303Z');
    expect('9d23e78d-a5a6-4f9d-97ae-9755d0c0ca75  Buy milk  alice    2026-11-27T10:00:01.001Z').toMatch(row);
    expect('9d23e78d-a5a6-4f9d-97ae-9755d0c0ca75  Buy milk  bob      2026-11-27T10:00:01.001Z').not.toMatch(row);
    expect('Logged in to http://localhost:41234/mcp as alice').toMatch(outputLinePattern('Logged in to <server> as alice'));
    expect('Logged in to x as admin').not.toMatch(outputLinePattern('Logged in to <server> as alice'));
    expect('a.b').toMatch(outputLinePattern('a.b'));
    expect('axb').not.toMatch(outputLinePattern('a.b'));
  });

  it('splits comments only outside quotes and reads announced exit codes', () => {
    expect(splitComment('echo "a # b" # c')).toEqual({ code: 'echo "a # b"', comment: 'c' });
    expect(splitComment('echo a#b')).toEqual({ code: 'echo a#b', comment: '' });
    expect(expectedExit('alice may not: exits 4')).toBe(4);
    expect(expectedExit('keep it running')).toBe(0);
  });
});
