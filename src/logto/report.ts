import type { ChalkInstance } from 'chalk';
import { ALL_SCOPES } from '../policy/scopes.js';
import type { ItemResult, Outcome } from './apply.js';
import type { LogtoSetupReport } from './setup.js';

const KIND_LABEL: Record<ItemResult['kind'], string> = {
  'api-resource': 'API resource',
  permission: 'permission',
  role: 'role',
  application: 'application',
  user: 'user',
  'config-file': 'config file',
};

/** Objects left not as todo-mcp needs them after this run (the command then exits non-zero). */
export function unresolved(report: LogtoSetupReport): ItemResult[] {
  return report.results.filter((r) => r.outcome === 'differs' || r.outcome === 'conflict');
}

/** The commands to run next, with the values this tenant now has. */
export function nextSteps(report: LogtoSetupReport, inspectorRedirectUri: string): string[] {
  const users = report.results.filter((r) => r.kind === 'user').map((r) => r.name);
  const steps = ['todo-mcp serve', 'todo-mcp doctor'];
  if (users.includes('alice')) steps.push('todo-mcp login                    # sign in as alice');
  else steps.push('todo-mcp login');
  if (users.includes('admin')) steps.push('todo-mcp login --switch-user      # sign in as admin');
  const inspector = report.appIds.inspector ?? (report.dryRun ? '<id of the new Inspector app>' : undefined);
  if (inspector) {
    steps.push(`MCP Inspector → Settings → OAuth Settings: Client ID ${inspector}, Scopes "${ALL_SCOPES.join(' ')}", Redirect URI ${inspectorRedirectUri}`);
  }
  return steps;
}

/** The report for a terminal: one line per object, then what is left to do, then the next commands. */
export function formatReport(report: LogtoSetupReport, paint: ChalkInstance, inspectorRedirectUri: string): string {
  const colour: Record<Outcome, (s: string) => string> = {
    created: paint.green,
    'already right': paint.green,
    fixed: paint.green,
    'would create': paint.cyan,
    'would fix': paint.cyan,
    differs: paint.yellow,
    conflict: paint.red,
  };
  const lines = [`Logto tenant ${report.endpoint} (issuer ${report.issuer})${report.dryRun ? ' — dry run, nothing changed' : ''}`, ''];
  for (const r of report.results) {
    const extra = [
      r.kind === 'application' && r.id ? `App ID ${r.id}` : '',
      r.password ? `password ${r.password} (shown once)` : '',
      ...r.differences,
      ...r.notes.map((n) => `note: ${n}`),
    ].filter(Boolean);
    lines.push(`  ${colour[r.outcome](r.outcome.padEnd(13))}  ${KIND_LABEL[r.kind].padEnd(12)}  ${r.name}${extra.length > 0 ? ` — ${extra.join('; ')}` : ''}`);
  }
  const left = unresolved(report);
  const differs = left.filter((r) => r.outcome === 'differs').length;
  const conflicts = left.length - differs;
  lines.push('');
  if (differs > 0) lines.push(paint.yellow(`${differs} object(s) differ from what todo-mcp needs; run again with --fix to repair them.`));
  if (conflicts > 0) lines.push(paint.red(`${conflicts} object(s) need a decision in the Logto Console (see above); then run this again.`));
  if (report.error === undefined && left.length === 0) lines.push(report.dryRun ? 'Run without --dry-run to make these changes.' : 'The tenant is ready for todo-mcp.');
  if (report.error === undefined) {
    lines.push('', 'Next:', ...nextSteps(report, inspectorRedirectUri).map((s) => `  ${s}`));
  }
  return `${lines.join('\n')}\n`;
}

/** The report for scripts (`--json`): the same facts, passwords included (they are shown once either way). */
export function reportJson(report: LogtoSetupReport, inspectorRedirectUri: string, error?: { code: string; message: string }): string {
  const body = {
    endpoint: report.endpoint,
    issuer: report.issuer,
    dryRun: report.dryRun,
    fix: report.fix,
    ok: report.error === undefined && unresolved(report).length === 0,
    objects: report.results,
    clientIds: report.appIds,
    next: report.error === undefined ? nextSteps(report, inspectorRedirectUri) : [],
    ...(error ? { error } : {}),
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}
