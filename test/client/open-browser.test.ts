import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openBrowser, splitCommand } from '../../src/client/open-browser.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'todo-mcp-browser-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A fake browser that writes the arguments it got to `out`. */
async function recorder(): Promise<{ command: string; args: () => Promise<string[]> }> {
  const script = join(dir, 'record.mjs');
  const out = join(dir, 'argv.json');
  await writeFile(script, `import { writeFileSync } from 'node:fs'; writeFileSync(${JSON.stringify(out)}, JSON.stringify(process.argv.slice(2)));`);
  return {
    command: `"${process.execPath}" '${script}'`,
    async args() {
      for (let i = 0; i < 200; i += 1) {
        const text = await readFile(out, 'utf8').catch(() => undefined);
        if (text) return JSON.parse(text) as string[];
        await sleep(25);
      }
      throw new Error('the fake browser never ran');
    },
  };
}

const url = 'https://as.example/auth?a=1&b=$(touch /tmp/pwned)&c=`x`;rm';

describe('opening the browser', () => {
  it('runs $BROWSER with the URL as one argument, never through a shell', async () => {
    const fake = await recorder();
    expect(await openBrowser(url, { command: fake.command })).toEqual({ opened: true });
    expect(await fake.args()).toEqual([url]);
  });

  it('puts the URL where %s is', async () => {
    const fake = await recorder();
    await openBrowser(url, { command: `${fake.command} --new-window=%s --flag` });
    expect(await fake.args()).toEqual([`--new-window=${url}`, '--flag']);
  });

  it('reports a command that cannot start, so the caller prints the URL instead', async () => {
    const result = await openBrowser(url, { command: join(dir, 'no-such-browser') });
    expect(result.opened).toBe(false);
    expect(result.reason).toContain('ENOENT');
  });

  it('splits commands like a shell: quotes and backslashes', () => {
    expect(splitCommand(`curl -sL -o /dev/null`)).toEqual(['curl', '-sL', '-o', '/dev/null']);
    expect(splitCommand(`"/opt/My Browser/bin" --a='x y' b\\ c ""`)).toEqual(['/opt/My Browser/bin', '--a=x y', 'b c', '']);
  });
});
