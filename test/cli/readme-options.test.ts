import { describe, expect, it } from 'vitest';
import type { CommandUnknownOpts, Option } from '@commander-js/extra-typings';
import { createCommandRunner, defaultText } from '../../src/cli/command-runner.js';
import type { CliContext } from '../../src/cli/context.js';
import { buildProgram } from '../../src/cli/program.js';
import { DEFAULT_SERVER_URL, DEFAULTS } from '../../src/config/defaults.js';
import { readmeTable } from '../helpers/readme-table.js';

const ctx = { env: {}, cwd: '/', stdout: process.stdout, stderr: process.stderr, signal: new AbortController().signal } as CliContext;
const program = buildProgram(createCommandRunner({ ctx, execute: async () => undefined }));
const command = (name: string) => program.commands.find((c) => c.name() === name) as CommandUnknownOpts;

/** flag → [env, default] as the option declares them ('—' for none), backticks dropped as in the README. */
function declared(options: readonly Option[]): Map<string, [string, string]> {
  return new Map(options.filter((o) => o.long !== '--help').map((o) => [o.long!, [o.envVar ?? '—', (defaultText(o) ?? '—').replaceAll('`', '')]]));
}

/** The same, from a README table with the columns flag | env | default | meaning. */
function documented(heading: string): Map<string, [string, string]> {
  return new Map(
    readmeTable(heading, 'flag').map(([flag, env, fallback]) => [flag!.replaceAll('`', ''), [/`([^`]+)`/.exec(env!)?.[1] ?? env!, fallback!.replaceAll('`', '')]]),
  );
}

describe("the README's option tables are the declared options", () => {
  it('serve: the same flags, environment variables and defaults, both ways', () => {
    expect(documented('`todo-mcp serve`')).toEqual(declared(command('serve').options));
  });

  it('login, call and tools: the options they share, both ways', () => {
    const [login, ...others] = ['login', 'call', 'tools'].map((name) => declared(command(name).options));
    // --json means something different to each (the command table says what it prints); --timeout is the
    // login's wait for login and the request deadline for call and tools (the timeouts table has both).
    const shared = new Map([...login!].filter(([flag]) => flag !== '--json' && flag !== '--timeout' && others.every((o) => o.has(flag))));
    expect(documented('The CLI client')).toEqual(shared);
  });

  it('the timeouts of login, call and tools, both ways', () => {
    const timeouts = readmeTable('The CLI client', 'commands').flatMap(([commands, flag, env, fallback]) =>
      commands!.split(', ').map((name) => [name.replaceAll('`', ''), flag!.replaceAll('`', ''), /`([^`]+)`/.exec(env!)?.[1] ?? env!, fallback!.replaceAll('`', '')].join(' ')),
    );
    const declaredTimeouts = ['login', 'call', 'tools'].flatMap((name) =>
      [...declared(command(name).options)].filter(([flag]) => flag.endsWith('timeout')).map(([flag, [env, fallback]]) => [name, flag, env, fallback].join(' ')),
    );
    expect(timeouts.sort()).toEqual(declaredTimeouts.sort());
  });

  it('the defaults in them come from the one defaults module', () => {
    const serve = declared(command('serve').options);
    expect(serve.get('--port')?.[1]).toBe(String(DEFAULTS.port));
    expect(serve.get('--auth-port')?.[1]).toBe(String(DEFAULTS.authPort));
    expect(serve.get('--data')?.[1]).toBe(DEFAULTS.dataFile);
    expect(serve.get('--host')?.[1]).toBe(DEFAULTS.host);
    const login = declared(command('login').options);
    expect(login.get('--server')?.[1]).toBe(DEFAULT_SERVER_URL);
    expect(login.get('--timeout')?.[1]).toBe(String(DEFAULTS.loginTimeoutSeconds));
    expect(declared(command('call').options).get('--login-timeout')?.[1]).toBe(String(DEFAULTS.loginTimeoutSeconds));
    expect(declared(command('call').options).get('--timeout')?.[1]).toBe(String(DEFAULTS.requestTimeoutSeconds));
    expect(declared(command('doctor').options).get('--timeout')?.[1]).toBe(String(DEFAULTS.doctorTimeoutSeconds));
  });
});
