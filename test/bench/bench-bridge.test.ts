import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const RUN = fileURLToPath(new URL('../../bench/run.mjs', import.meta.url));

describe('npm run bench -- --smoke --only bridge', () => {
  let dir: string | undefined;
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('times get-todos direct and through todo-mcp connect, and prints the row with the 2 ms target', { timeout: 90_000 }, async () => {
    dir = await mkdtemp(join(tmpdir(), 'todo-mcp-bench-bridge-'));
    const out = join(dir, 'results.json');
    const outcome = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [RUN, '--smoke', '--only', 'bridge', '--out', out], { env: { ...process.env, NO_COLOR: '1' } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      const timer = setTimeout(() => child.kill('SIGKILL'), 80_000);
      child.on('error', reject);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr });
      });
    });
    expect(outcome.code, outcome.stderr).toBe(0);
    const { bridge } = JSON.parse(await readFile(out, 'utf8'));
    expect(bridge).toMatchObject({ tool: 'get-todos', calls: 20, target: 2 });
    for (const side of [bridge.direct, bridge.bridged]) {
      expect(side.medianMs).toBeGreaterThan(0);
      expect(side.p99Ms).toBeGreaterThanOrEqual(side.medianMs);
    }
    expect(typeof bridge.overheadMs).toBe('number');
    expect(outcome.stdout).toContain('### Stdio bridge (todo-mcp connect)');
    expect(outcome.stdout).toMatch(/\| bridged: SDK Client → stdio → todo-mcp connect +\| [\d.]+ /);
  });
});
