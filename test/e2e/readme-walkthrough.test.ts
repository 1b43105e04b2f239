import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_PASSWORDS } from '../../src/dev-auth/accounts.js';
import { ARTIFACTS_ROOT, requireChromium } from './support/chromium.js';
import { freePort } from './support/inspector.js';
import { expectedExit, outputLinePattern, readmeSteps, type ReadmeStep } from './support/readme-steps.js';
import { runShell, startShell, type BackgroundShell } from './support/shell.js';

/**
 * The README's "Quick start", executed line by line in a fresh `git clone` of this repository's HEAD:
 * the real `npm install` (≈1 min, from the npm cache), `npm start`, logins through headless Chromium
 * on the real sign-in page (BROWSER is a script that signs in as the user the README names), and the
 * calls, checking the output the README shows. See support/readme-steps.ts for how the README is read.
 */
const REPO = fileURLToPath(new URL('../../', import.meta.url));
const SIGN_IN = fileURLToPath(new URL('./support/chromium-sign-in.mjs', import.meta.url));
// Read from HEAD, the same text the clone will have.
const README = execFileSync('git', ['show', 'HEAD:README.md'], { cwd: REPO, encoding: 'utf8' });
const STEPS = readmeSteps(README);
const USERS = Object.keys(DEV_PASSWORDS) as Array<keyof typeof DEV_PASSWORDS>;

/** Commands that keep running (the server): started in the background, ready once the banner shows the endpoint. */
const isStart = (command: string) => /\bnpm (run )?start\b|\btodo-mcp serve\b/.test(command) || /&\s*$/.test(command);
const isLogin = (command: string) => /\btodo-mcp\b.*\blogin\b/.test(command);
/** The first dev user `text` names as `pattern(user)` says. */
const firstUser = (text: string, pattern: (user: string) => string) =>
  USERS.map((u) => ({ u, at: text.search(new RegExp(pattern(u), 'i')) }))
    .filter(({ at }) => at >= 0)
    .sort((a, b) => a.at - b.at)[0]?.u;
/** Who a login is for: named in its comment, else in the prose before its block — bold, "as <user>", or at all. */
const userOf = (step: ReadmeStep) =>
  firstUser(step.comment, (u) => `\\b${u}\\b`) ??
  firstUser(step.prose, (u) => `\\*\\*${u}\\*\\*`) ??
  firstUser(step.prose, (u) => `\\bas \\W?${u}\\b`) ??
  firstUser(step.prose, (u) => `\\b${u}\\b`);
const ID_PLACEHOLDER = /<(todo-)?id\b[^>]*>/g;

let root: string;
let clone: string;
let env: NodeJS.ProcessEnv;
let ports: { mcp: number; auth: number };
let browserLog: string;
const background: BackgroundShell[] = [];
let lastTodoId: string | undefined;
let broken: string | undefined;
/** Output of the current fence's commands so far (a README output block may show several). */
let fenceOutput = { fence: 0, text: '' };

beforeAll(async () => {
  requireChromium();
  root = await mkdtemp(join(tmpdir(), 'todo-mcp-e2e-readme-'));
  clone = join(root, 'todo-mcp');
  execFileSync('git', ['clone', '--quiet', REPO, clone]);
  ports = { mcp: await freePort(), auth: await freePort() };
  browserLog = join(root, 'browser.jsonl');
  const shots = join(ARTIFACTS_ROOT, 'readme');
  await rm(shots, { recursive: true, force: true });
  await mkdir(shots, { recursive: true });
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('TODO_MCP_') && key !== 'BROWSER'));
  env = {
    ...inherited,
    NO_COLOR: '1',
    // Where `npm link` / `npm install -g` would put `todo-mcp`, kept inside the temp dir.
    npm_config_prefix: join(root, 'npm-prefix'),
    PATH: `${join(root, 'npm-prefix', 'bin')}:${process.env.PATH}`,
    npm_config_prefer_offline: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    // The README's defaults (3001/3002) may be taken on this machine: the documented variables move them.
    TODO_MCP_PORT: String(ports.mcp),
    TODO_MCP_AUTH_PORT: String(ports.auth),
    TODO_MCP_SERVER: `http://localhost:${ports.mcp}/mcp`,
    TODO_MCP_LOGIN_TIMEOUT: '90',
    XDG_CONFIG_HOME: join(root, 'config'),
    BROWSER: `"${process.execPath}" "${SIGN_IN}"`,
    TODO_MCP_E2E_BROWSER_LOG: browserLog,
    TODO_MCP_E2E_SCREENSHOTS: shots,
  };
}, 60_000);

afterAll(async () => {
  for (const shell of background) await shell.stop();
  if (root) await rm(root, { recursive: true, force: true, maxRetries: 5 });
});

/** The README shows the default ports; this run uses others. */
const withOurPorts = (text: string) => text.replaceAll(':3001', `:${ports.mcp}`).replaceAll(':3002', `:${ports.auth}`);

async function browserRuns(): Promise<Array<{ user: string; pages: string[]; callback?: string; error?: string }>> {
  if (!existsSync(browserLog)) return [];
  return (await readFile(browserLog, 'utf8')).trim().split('\n').filter(Boolean).map((line) => JSON.parse(line));
}

async function runStep(step: ReadmeStep): Promise<void> {
  let command = step.command;
  if (command.match(ID_PLACEHOLDER)) {
    expect(lastTodoId, `step ${step.index} uses an id before any todo was created`).toBeDefined();
    command = command.replace(ID_PLACEHOLDER, lastTodoId!);
  }
  const stepEnv = { ...env };
  const user = userOf(step);
  if (isLogin(command)) {
    expect(user, `login step ${step.index}: name the user in a comment or in the prose before the block`).toBeDefined();
    Object.assign(stepEnv, { TODO_MCP_E2E_USER: user, TODO_MCP_E2E_PASSWORD: DEV_PASSWORDS[user!] });
  }
  const runsBefore = (await browserRuns()).length;

  let output: string;
  if (isStart(command)) {
    // May include `npm install` (about a minute) before the server starts.
    const shell = await startShell(command.replace(/&\s*$/, ''), /MCP endpoint\s+(\S+)\s/, { cwd: clone, env: stepEnv, timeoutMs: 240_000 });
    background.push(shell);
    expect(shell.match[1]).toBe(`http://localhost:${ports.mcp}/mcp`);
    output = shell.output();
  } else {
    const result = await runShell(command, { cwd: clone, env: stepEnv, timeoutMs: 240_000 });
    output = result.output;
    const browsers = isLogin(command) ? `\nbrowser: ${JSON.stringify((await browserRuns()).slice(runsBefore))}` : '';
    expect(result.code, `\`${command}\` output:\n${output}${browsers}`).toBe(expectedExit(step.comment));
  }

  if (fenceOutput.fence !== step.fence) fenceOutput = { fence: step.fence, text: '' };
  fenceOutput.text += output;
  for (const line of step.expectedOutput) {
    expect(fenceOutput.text, `README shows \`${line}\` for the block ending with \`${step.command}\``).toMatch(outputLinePattern(withOurPorts(line)));
  }
  // What the calls must do whether or not the README shows their output: the todo made earlier is
  // listed (alice sees her own, admin everyone's), and a delete names what it deleted.
  if (/\bcall get-todos\b/.test(command) && lastTodoId) expect(output).toContain(lastTodoId);
  const deleteId = /\bcall delete-todo\b.*\bid=(\S+)/.exec(command)?.[1];
  if (deleteId) expect(output).toMatch(new RegExp(`Deleted todo ${deleteId}\\b`));
  const created = /Created todo ([0-9a-f-]{36})/.exec(output);
  if (created) lastTodoId = created[1];
  if (isLogin(command)) {
    // The CLI finishes when the callback arrives; the browser script logs what it saw once it has closed.
    for (let i = 0; i < 60 && (await browserRuns()).length === runsBefore; i += 1) await new Promise((r) => setTimeout(r, 250));
    const runs = (await browserRuns()).slice(runsBefore);
    expect(runs, 'the login opened exactly one browser').toHaveLength(1);
    expect(runs[0]).toMatchObject({ user, callback: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/callback$/) });
    expect(runs[0]!.pages[0]).toBe('sign-in');
    expect(output).toMatch(new RegExp(`Logged in to .* as ${user}\\b`));
  }
}

describe('README quick start, step by step in a fresh clone', () => {
  it('reads as a walkthrough: install, start, login as alice and as admin, the three calls', () => {
    // Until this holds, running the steps would only install and start things for nothing.
    broken = 'the Quick start section';
    const commands = STEPS.map((s) => s.command);
    expect(commands.some((c) => /^npm (install|ci)\b/.test(c)), commands.join('\n')).toBe(true);
    expect(commands.some(isStart)).toBe(true);
    const logins = STEPS.filter((s) => isLogin(s.command)).map(userOf);
    expect(logins).toEqual(expect.arrayContaining(['alice', 'admin']));
    for (const tool of ['create-todo', 'get-todos', 'delete-todo']) {
      expect(commands.some((c) => new RegExp(`\\bcall ${tool}\\b`).test(c)), `no \`call ${tool}\` step`).toBe(true);
    }
    broken = undefined;
  });

  it.each(STEPS.map((step) => [`${step.index}. ${step.command}${step.comment ? `  # ${step.comment}` : ''}`, step] as const))('%s', async (_name, step) => {
    // Later steps build on earlier ones: after a failure, report that one only.
    if (broken) throw new Error(`skipped: step "${broken}" failed`);
    try {
      await runStep(step);
    } catch (error) {
      broken = step.command;
      throw error;
    }
  }, 300_000);
});
