import { describe, expect, it } from 'vitest';
import { CliError } from '../../src/cli/cli-error.js';
import { splitCallWords } from '../../src/cli/client-commands.js';
import { buildToolArguments } from '../../src/cli/client-tool-arguments.js';

const schema = {
  type: 'object',
  properties: {
    content: { type: 'string', description: 'The text' },
    count: { type: 'integer' },
    ratio: { type: 'number' },
    done: { type: 'boolean' },
    tags: { type: 'array' },
    meta: { type: ['object', 'null'] },
  },
  required: ['content'],
  additionalProperties: false,
};

function usageError(fn: () => unknown): CliError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).code).toBe('usage');
    return error as CliError;
  }
  throw new Error('expected a usage error');
}

describe('tool arguments from key=value words', () => {
  it('types each value by the input schema', () => {
    expect(buildToolArguments(schema, ['content=42', 'count=3', 'ratio=0.5', 'done=yes', 'tags=["a"]', 'meta={"k":1}'])).toEqual({
      content: '42',
      count: 3,
      ratio: 0.5,
      done: true,
      tags: ['a'],
      meta: { k: 1 },
    });
    expect(buildToolArguments(schema, ['content=a=b'])).toEqual({ content: 'a=b' });
  });

  it('merges --args JSON, with key=value winning', () => {
    expect(buildToolArguments(schema, ['content=x'], '{"content":"y","count":1}')).toEqual({ content: 'x', count: 1 });
  });

  it('names what is wrong: unknown key, bad number, missing required, malformed word or JSON', () => {
    expect(usageError(() => buildToolArguments(schema, ['content=x', 'colour=red'])).message).toContain('Unknown argument colour; this tool takes: content, count, ratio, done, tags, meta');
    expect(usageError(() => buildToolArguments(schema, ['content=x', 'count=1.5'])).message).toContain('Argument count must be an integer');
    expect(usageError(() => buildToolArguments(schema, ['count=1'])).message).toMatch(/Missing required argument:\n {2}content=… {2}\(string\) The text/);
    expect(usageError(() => buildToolArguments(schema, ['content'])).message).toContain('key=value');
    expect(usageError(() => buildToolArguments(schema, [], '[1]')).message).toContain('--args must be a JSON object');
  });

  it('without a declared type: JSON when it parses, text otherwise', () => {
    expect(buildToolArguments({ type: 'object' }, ['n=42', 's=hello'])).toEqual({ n: 42, s: 'hello' });
  });

  it('takes a trailing http(s) URL as the server (the conformance suite appends one)', () => {
    expect(splitCallWords(['content=x', 'http://localhost:1/mcp'])).toEqual({ pairs: ['content=x'], serverUrl: 'http://localhost:1/mcp' });
    expect(splitCallWords(['url=http://x'])).toEqual({ pairs: ['url=http://x'] });
  });
});
