import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log/create-logger.js';
import { prettyLine } from '../../src/log/pretty-lines.js';
import { maskCredentials, serializeError } from '../../src/log/safe-error.js';

const JWT = 'eyJhbGciOiJFUzM4NCJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl';

function memoryLogger(level: 'debug' | 'info' | 'silent' = 'info') {
  const lines: string[] = [];
  const logger = createLogger({ level, sink: { write: (line: string) => lines.push(line) } });
  return { logger, entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe('the logger', () => {
  it('writes one JSON object per line: time, level name, fields, msg; no pid or hostname', () => {
    const { logger, entries } = memoryLogger();
    logger.info({ method: 'POST', status: 200 }, 'request');
    logger.debug({ hidden: true }, 'below the level');
    expect(entries()).toEqual([{ level: 'info', time: expect.any(Number), method: 'POST', status: 200, msg: 'request' }]);
    expect(logger.isLevelEnabled('info')).toBe(true);
    expect(logger.isLevelEnabled('debug')).toBe(false);
    expect(memoryLogger('silent').logger.isLevelEnabled('error')).toBe(false);
  });

  it('logs an error as its kind, code, message and stack only, with credentials masked', () => {
    const { logger, entries } = memoryLogger();
    const error = Object.assign(new Error(`connect to postgres://todo:hunter2-pw@db:5432/todos failed with Bearer ${JWT}`), {
      code: 'ECONNREFUSED',
      config: { headers: { authorization: `Bearer ${JWT}` } },
    });
    logger.error({ err: error }, 'request failed');
    const text = JSON.stringify(entries());
    expect(text).not.toContain(JWT);
    expect(text).not.toContain('hunter2-pw');
    expect(text).not.toContain('config');
    expect(entries()[0]).toMatchObject({ err: { type: 'Error', code: 'ECONNREFUSED', message: 'connect to postgres://todo:***@db:5432/todos failed with Bearer [redacted]' } });
  });

  it('masks bearer tokens, bare JWTs and URL passwords in any text', () => {
    expect(maskCredentials(`Authorization: bearer abc.def-ghi~jkl+/==`)).toBe('Authorization: Bearer [redacted]');
    expect(maskCredentials(`token=${JWT} rest`)).toBe('token=[redacted token] rest');
    expect(maskCredentials('postgresql://u:p%40ss@h/db and https://x:y@z')).toBe('postgresql://u:***@h/db and https://x:***@z');
    expect(serializeError('a string')).toEqual({ message: 'a string' });
  });

  it('prints pretty lines for people, with controls escaped so a value cannot forge a line', () => {
    const line = prettyLine(
      JSON.stringify({ level: 'warn', time: Date.UTC(2026, 0, 1, 12, 0, 1, 234), msg: 'odd\nrequest', path: '/mcp\r\nX: y', n: 3, ok: true }),
      new Chalk({ level: 0 }),
    );
    expect(line).toMatch(/^\d\d:\d\d:01\.234 WARN {2}odd\\u000arequest path="\/mcp\\r\\nX: y" n=3 ok=true\n$/);
    const withError = prettyLine(JSON.stringify({ level: 'error', time: 0, msg: 'failed', err: { stack: 'Error: boom\n    at here' } }), new Chalk({ level: 0 }));
    expect(withError.split('\n')).toEqual([expect.stringMatching(/ERROR failed$/), '    Error: boom', '        at here', '']);
  });
});
