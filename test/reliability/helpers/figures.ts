import { appendFileSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The figures each scenario contributes to the suite summary. Missing ones count as 0. */
export interface Figures {
  /** HTTP requests the scenario sent to servers under test. */
  requestsSent?: number;
  /** Most clients driving a server at the same time. */
  concurrentClients?: number;
  /** `kill -9`s after which the server came back with nothing acknowledged missing. */
  killsSurvived?: number;
  /** Acknowledged creates (or tokens) absent after a crash or fault: must stay 0. */
  acknowledgedWritesLost?: number;
  /** Answers that showed a user something of another user's: must stay 0. */
  crossUserLeaks?: number;
  /** 5xx answers seen by clients or logged by the server: must stay 0. */
  serverErrors?: number;
  /** Hostile inputs tried (fuzz table rows, forged logins, faults injected). */
  fuzzCasesTried?: number;
}

/** The scenario files of the suite; the summary is complete once all of them have reported. */
export const SCENARIOS = ['isolation', 'crash', 'storage', 'auth-server', 'hostile-input', 'login'] as const;
export type Scenario = (typeof SCENARIOS)[number];

const ROWS: ReadonlyArray<[keyof Figures, string, 'sum' | 'max']> = [
  ['requestsSent', 'requests sent', 'sum'],
  ['concurrentClients', 'concurrent clients (max)', 'max'],
  ['killsSurvived', 'kills survived (kill -9)', 'sum'],
  ['acknowledgedWritesLost', 'acknowledged writes lost (must be 0)', 'sum'],
  ['crossUserLeaks', 'cross-user leaks (must be 0)', 'sum'],
  ['serverErrors', '5xx answers (must be 0)', 'sum'],
  ['fuzzCasesTried', 'hostile cases tried', 'sum'],
];

/**
 * Where this run's figures go. Vitest runs each file in a worker forked from the one main process, so
 * the parent pid (with its start time, against pid reuse) names the run; files run one at a time.
 */
function runFile(): string {
  let started = '0';
  try {
    started = readFileSync(`/proc/${process.ppid}/stat`, 'utf8').split(') ')[1]?.split(' ')[19] ?? '0';
  } catch {
    // Not Linux: the pid alone will do.
  }
  return join(tmpdir(), `todo-mcp-reliability-${process.ppid}-${started}.jsonl`);
}

function readAll(path: string): Array<{ scenario: Scenario; figures: Figures }> {
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { scenario: Scenario; figures: Figures });
}

/** A table of figures: one column per scenario reported so far, plus the total. */
export function formatSummary(entries: ReadonlyArray<{ scenario: Scenario; figures: Figures }>): string {
  const names = entries.map((e) => e.scenario);
  const head = ['figure', ...names, 'total'];
  const body = ROWS.map(([key, label, fold]) => {
    const values = entries.map((e) => e.figures[key] ?? 0);
    const total = fold === 'sum' ? values.reduce((a, b) => a + b, 0) : Math.max(0, ...values);
    return [label, ...values.map(String), String(total)];
  });
  const widths = head.map((_, i) => Math.max(...[head, ...body].map((row) => row[i]!.length)));
  const line = (row: string[]) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  const missing = SCENARIOS.filter((s) => !names.includes(s));
  const title = missing.length === 0 ? 'Reliability suite summary' : `Reliability suite summary (so far; not yet run: ${missing.join(', ')})`;
  return [title, line(head), ...body.map(line)].join('\n');
}

/** Removes the figures of earlier runs (their vitest process is gone), so temp files do not pile up. */
function removeFinishedRuns(): void {
  for (const name of readdirSync(tmpdir())) {
    const pid = /^todo-mcp-reliability-(\d+)-\d+\.jsonl$/.exec(name)?.[1];
    if (pid === undefined || Number(pid) === process.ppid) continue;
    try {
      process.kill(Number(pid), 0);
    } catch {
      rmSync(join(tmpdir(), name), { force: true });
    }
  }
}

/** Records a scenario's figures for this run and prints the summary of every scenario reported so far. */
export function reportFigures(scenario: Scenario, figures: Figures): string {
  removeFinishedRuns();
  const path = runFile();
  appendFileSync(path, `${JSON.stringify({ scenario, figures })}\n`);
  // A re-run of one file in the same run replaces its earlier figures.
  const latest = new Map(readAll(path).map((entry) => [entry.scenario, entry]));
  const table = formatSummary([...latest.values()]);
  process.stdout.write(`\n${table}\n\n`);
  return table;
}
