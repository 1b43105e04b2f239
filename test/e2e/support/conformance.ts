import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const TOOLS = fileURLToPath(new URL('../../../tools/conformance/', import.meta.url));
/** Node 22 from the tools prefix: the suite needs it, the project itself runs on Node 20. */
const NODE22 = join(TOOLS, 'node_modules', '.bin', 'node');
const SUITE = join(TOOLS, 'node_modules', '@modelcontextprotocol', 'conformance', 'dist', 'index.js');

/** One check as the suite writes it to `checks.json`. */
export interface ConformanceCheck {
  id: string;
  name: string;
  status: 'SUCCESS' | 'FAILURE' | 'WARNING' | 'INFO' | string;
  errorMessage?: string;
  details?: Record<string, unknown>;
}

export interface ConformanceRun {
  code: number | null;
  output: string;
  /** Checks by scenario name, read from the results directory. */
  scenarios: Map<string, ConformanceCheck[]>;
}

/** Fails with the fix instead of a spawn error when the Node-22 tools prefix was not installed. */
export function requireConformanceTools(): void {
  if (!existsSync(NODE22) || !existsSync(SUITE)) {
    throw new Error(`the conformance suite is not installed: run \`npm ci --prefix tools/conformance\` (.ci/run does)`);
  }
}

/** `conformance server --url <url> [--scenario s] [--expected-failures file] -o <outDir>`, then reads every `checks.json`. */
export async function runConformanceServer(options: { url: string; outDir: string; scenario?: string; baseline?: string; timeoutMs?: number }): Promise<ConformanceRun> {
  requireConformanceTools();
  const args = [SUITE, 'server', '--url', options.url, '-o', options.outDir];
  if (options.scenario) args.push('--scenario', options.scenario);
  if (options.baseline) args.push('--expected-failures', options.baseline);
  const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    const child = spawn(NODE22, args, { env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the conformance suite timed out\n${out}`));
    }, options.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (exit) => {
      clearTimeout(timer);
      resolve({ code: exit, output: out });
    });
  });
  return { code, output, scenarios: await readResults(options.outDir) };
}

/** Result folders are named `server-<scenario>-<ISO timestamp with dashes>`. */
async function readResults(outDir: string): Promise<Map<string, ConformanceCheck[]>> {
  const scenarios = new Map<string, ConformanceCheck[]>();
  const entries = existsSync(outDir) ? await readdir(outDir) : [];
  for (const entry of entries) {
    const match = /^server-(.+)-\d{4}-\d\d-\d\dT[\d-]+Z$/.exec(entry);
    if (!match) continue;
    const checks = JSON.parse(await readFile(join(outDir, entry, 'checks.json'), 'utf8')) as ConformanceCheck[];
    scenarios.set(match[1]!, checks);
  }
  return scenarios;
}

/** A baseline entry: `  - scenario-name  # why it cannot pass against a todo server`. */
export interface BaselineEntry {
  scenario: string;
  reason: string;
}

/**
 * Reads the lists of a baseline file (`server:` is what the suite itself reads; other top-level keys
 * are ours). Only the small subset of YAML the file uses: top-level keys and `- item  # comment`.
 */
export async function readBaseline(path: string): Promise<Record<string, BaselineEntry[]>> {
  const lists: Record<string, BaselineEntry[]> = {};
  let current: BaselineEntry[] | undefined;
  for (const line of (await readFile(path, 'utf8')).split('\n')) {
    const key = /^([A-Za-z][\w-]*):\s*(#.*)?$/.exec(line);
    if (key) {
      current = lists[key[1]!] = [];
      continue;
    }
    const item = /^\s+-\s+([\w/-]+)\s*(?:#\s*(.*))?$/.exec(line);
    if (item && current) current.push({ scenario: item[1]!, reason: (item[2] ?? '').trim() });
  }
  return lists;
}
