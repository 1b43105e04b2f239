import { randomInt } from 'node:crypto';
import { LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js';
import type { TestIssuer } from '../../helpers/test-issuer.js';
import type { McpReply } from './mcp-http.js';
import type { Outcome, OutcomeKind } from './outcome.js';

/** One hostile request and what an acceptable answer looks like. */
export interface HostileCase {
  name: string;
  /** A value sent as JSON (a function is called when the case runs, after set-up). */
  json?: unknown;
  /** Bytes sent as they are (instead of `json`). */
  raw?: string | Uint8Array;
  headers?: Record<string, string>;
  /** Whose token; 'none' sends no Authorization header. Default alice. */
  token?: 'alice' | 'bob' | 'admin' | 'none' | (() => Promise<string>);
  /** Send alice's session id. Default true. */
  session?: boolean;
  method?: string;
  query?: string;
  /** Acceptable outcomes. */
  expect: OutcomeKind[];
  /** The message must match. */
  message?: RegExp;
  /** Further checks on the reply. */
  check?: (reply: McpReply, outcome: Outcome) => void;
}

/** A JSON-RPC request; the id defaults to a fresh random integer. */
export const rpc = (method: string, params?: unknown, id: unknown = randomInt(1, 2 ** 31)) => ({ jsonrpc: '2.0', id, method, ...(params === undefined ? {} : { params }) });
export const call = (name: string, args: unknown) => rpc('tools/call', { name, arguments: args });
const todoOf = (reply: McpReply) => (reply.messages[0]?.result as { structuredContent?: { todo?: { ownerId: string; content: string } } } | undefined)?.structuredContent?.todo;
const listOf = (reply: McpReply) => (reply.messages[0]?.result as { structuredContent?: { todos?: Array<{ ownerId: string }>; scope?: string } } | undefined)?.structuredContent;

/** What the tables need from the running test; read lazily, when a case runs. */
export interface HostileContext {
  /** Mints a token at the test issuer (for tokens with hostile claims and headers). */
  readonly sign: TestIssuer['sign'];
  /** The server's resource identifier (the audience of valid tokens). */
  resource(): string;
  /** A todo of bob's, which alice must not be able to touch. */
  bobTodoId(): string;
  /** Called for every answer that showed or changed another user's data. */
  onLeak(): void;
}

/** Values aimed at the challenge header: quotes, CRLF, NUL. */
export const INJECT = 'x", error="forged"\r\nX-Injected: yes\r\nSet-Cookie: session=1\u0000';

/** The fuzz tables, by group: malformed JSON, JSON-RPC shapes, ids, tool arguments, transport, header injection. */
export function hostileCaseGroups(ctx: HostileContext): Array<[string, HostileCase[]]> {
  const malformedJson: HostileCase[] = [
    '{',
    '{"jsonrpc": "2.0", "id": 1, "method": "tools/list",',
    'nul',
    '[1, 2',
    "{'jsonrpc': '2.0'}",
    '{"jsonrpc":"2.0"}}',
    '\u0000',
    '{"a": 1e999999999}x',
  ].map((raw) => ({ name: `malformed JSON ${JSON.stringify(raw)}`, raw, expect: ['4xx'], message: /Parse error/ }));

  const wrongShapes: HostileCase[] = [
    ['an empty object', {}],
    ['null', null],
    ['a number', 42],
    ['a string', 'tools/list'],
    ['true', true],
    ['jsonrpc 1.0', { jsonrpc: '1.0', id: 1, method: 'tools/list' }],
    ['no jsonrpc member', { id: 1, method: 'tools/list' }],
    ['no method', { jsonrpc: '2.0', id: 1 }],
    ['a numeric method', { jsonrpc: '2.0', id: 1, method: 5 }],
    ['params as a string', { jsonrpc: '2.0', id: 1, method: 'tools/call', params: 'create-todo' }],
    ['a numeric tool name', { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 5 } }],

    ['an unknown method', rpc('todos/drop-all')],
    ['initialize again inside a session', rpc('initialize', { protocolVersion: LATEST_PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: 'x', version: '1' } })],
    ['a batch of 200 tool calls', Array.from({ length: 200 }, () => call('get-todos', {}))],
    ['a batch mixing garbage and calls', [1, 'two', null, call('get-todos', {})]],
  ].map(([name, json]) => ({ name: `wrong JSON-RPC shape: ${name as string}`, json, expect: ['4xx', 'rpc-error'] as OutcomeKind[] }));

  // Messages a client may legitimately send without expecting an answer (MCP: responses to server requests,
  // an empty batch holds no request): 202 Accepted and nothing else, in particular no effect and no 5xx.
  const unanswered: HostileCase[] = [
    ['a result for a request the server never sent', { jsonrpc: '2.0', id: 1, result: { hacked: true } }],
    ['an error for a request the server never sent', { jsonrpc: '2.0', id: 1, error: { code: 1, message: 'x' } }],
    ['an empty batch', []],
  ].map(([name, json]) => ({ name: `wrong JSON-RPC shape: ${name as string}`, json, expect: ['accepted', '4xx', 'rpc-error'] as OutcomeKind[] }));

  const ids: HostileCase[] = [
    ...[0, 1, -1, 2 ** 53 - 1, '', 'x', 'é漢字🙂', 'a'.repeat(10_000), '__proto__', 'constructor'].map((id) => ({
      name: `id ${JSON.stringify(id).slice(0, 40)}`,
      json: rpc('tools/list', {}, id),
      expect: ['ok'] as OutcomeKind[],
      check: (reply: McpReply) => {
        if (reply.messages.length !== 1 || reply.messages[0]!.id !== id) throw new Error(`answered with id ${JSON.stringify(reply.messages.map((m) => m.id)).slice(0, 80)}`);
      },
    })),
    // MCP ids are strings or integers: fractions, unsafe integers and other types are refused with a 400.
    ...[1.5, 2 ** 53 + 2, 1e300, null, true, false, {}, [], { nested: { id: 1 } }].map((id) => ({
      name: `id ${JSON.stringify(id)} (not a JSON-RPC id)`,
      json: rpc('tools/list', {}, id),
      expect: ['4xx', 'rpc-error'] as OutcomeKind[],
    })),
    { name: 'a notification (no id) for a request method', json: { jsonrpc: '2.0', method: 'tools/list' }, expect: ['accepted', '4xx'] },
  ];

  const LONG = 'x'.repeat(2_001);
  const content = (name: string, value: unknown, expect: OutcomeKind[], message?: RegExp): HostileCase => ({ name: `create-todo content ${name}`, json: call('create-todo', { content: value }), expect, message });
  const toolCases: HostileCase[] = [
    content('a number', 5, ['tool-error', 'rpc-error'], /content|string|Invalid/i),
    content('null', null, ['tool-error', 'rpc-error'], /content|string|Invalid/i),
    content('an object', { text: 'x' }, ['tool-error', 'rpc-error'], /content|string|Invalid/i),
    content('an array', ['x'], ['tool-error', 'rpc-error'], /content|string|Invalid/i),
    content('empty', '', ['tool-error'], /must not be empty/),
    content('only spaces', '   \t ', ['tool-error'], /must not be empty/),
    content('of 2,001 characters', LONG, ['tool-error'], /too long \(2001 characters; the limit is 2000\)/),
    content('of 200,000 characters', 'y'.repeat(200_000), ['tool-error'], /too long/),
    content('of exactly 2,000 characters', 'z'.repeat(2_000), ['ok']),
    content('with NUL', 'nul\u0000byte', ['tool-error'], /control character U\+0000/),
    content('with an ANSI escape', '\u001b[2J\u001b[31mred', ['tool-error'], /control character U\+001B/),
    content('with a carriage return', 'overwrite\rme', ['tool-error'], /control character U\+000D/),
    content('with BEL', 'ding\u0007', ['tool-error'], /control character U\+0007/),
    content('with DEL', 'del\u007f', ['tool-error'], /control character U\+007F/),
    content('with a C1 control', 'csi\u009b31m', ['tool-error'], /control character U\+009B/),
    content('with a lone high surrogate', 'half \ud800 a pair', ['tool-error'], /not valid Unicode text \(an unpaired surrogate U\+D800 at position 6\)/),
    content('with a lone low surrogate', '\udfff', ['tool-error'], /not valid Unicode/),
    content('with emoji, accents and a ZWJ sequence', 'buy 🍎 café 👩‍💻', ['ok']),
    content('with a tab and a newline', 'line one\n\tline two', ['ok']),
    { name: 'create-todo without content', json: call('create-todo', {}), expect: ['tool-error', 'rpc-error'], message: /content|Required|Invalid/i },
    { name: 'create-todo with arguments as an array', json: call('create-todo', ['x']), expect: ['tool-error', 'rpc-error', '4xx'] },
    { name: 'create-todo with arguments as a string', json: call('create-todo', 'x'), expect: ['tool-error', 'rpc-error', '4xx'] },
    {
      name: 'create-todo with an ownerId argument (mass assignment)',
      json: call('create-todo', { content: 'mine, not bob’s', ownerId: 'bob', createdAt: '1970-01-01T00:00:00Z', id: 'chosen' }),
      expect: ['ok'],
      check: (reply) => {
        const todo = todoOf(reply) as { ownerId: string; id?: string; createdAt?: string } | undefined;
        if (todo?.ownerId !== 'alice' || todo.id === 'chosen' || todo.createdAt?.startsWith('1970')) {
          ctx.onLeak();
          throw new Error(`the caller chose stored fields: ${JSON.stringify(todo)}`);
        }
      },
    },
    {
      name: 'create-todo with __proto__ and constructor keys in the arguments',
      raw: `{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"create-todo","arguments":{"content":"proto","__proto__":{"ownerId":"bob","isAdmin":true},"constructor":{"prototype":{"polluted":true}}}}}`,
      expect: ['ok', 'tool-error', 'rpc-error'],
      check: (reply) => {
        const todo = todoOf(reply);
        if (todo && todo.ownerId !== 'alice') {
          ctx.onLeak();
          throw new Error(`ownerId taken from __proto__: ${JSON.stringify(todo)}`);
        }
      },
    },
    {
      name: 'create-todo whose content exists only on __proto__',
      raw: `{"jsonrpc":"2.0","id":8,"method":"tools/call","params":{"name":"create-todo","arguments":{"__proto__":{"content":"inherited"}}}}`,
      expect: ['tool-error', 'rpc-error'],
    },
    {
      name: 'a top-level __proto__ key',
      raw: `{"__proto__":{"method":"tools/call"},"jsonrpc":"2.0","id":9,"method":"tools/list"}`,
      expect: ['ok', '4xx', 'rpc-error'],
    },
    ...[
      ['an empty id', '', /No todo|Invalid|too small|>=1/i],
      ['an overlong id', 'i'.repeat(129), /Invalid|too big|<=128/i],
      ['a numeric id', 5, /Invalid|string/i],
      ['a path', '../../../../etc/passwd', /No todo with id/],
      ['__proto__', '__proto__', /No todo with id/],
      ['constructor', 'constructor', /No todo with id/],
      ['hasOwnProperty', 'hasOwnProperty', /No todo with id/],
      ["bob's todo", 'BOB', /No todo with id/],
    ].map(([name, id, message]) => ({
      name: `delete-todo with ${name as string}`,
      json: () => call('delete-todo', { id: id === 'BOB' ? ctx.bobTodoId() : id }),
      expect: ['tool-error', 'rpc-error'] as OutcomeKind[],
      message: message as RegExp,
    })),
    ...[{ ownerId: 'bob' }, { scope: 'all' }, { filter: { ownerId: 'bob' } }].map((args) => ({
      name: `get-todos with ${JSON.stringify(args)} shows alice only her own`,
      json: call('get-todos', args),
      expect: ['ok', 'tool-error', 'rpc-error'] as OutcomeKind[],
      check: (reply: McpReply) => {
        const listed = listOf(reply);
        if (listed && (listed.scope !== 'own' || listed.todos?.some((t) => t.ownerId !== 'alice'))) {
          ctx.onLeak();
          throw new Error(`alice saw ${JSON.stringify(listed).slice(0, 200)}`);
        }
      },
    })),
    ...['drop-tables', '__proto__', 'constructor', 'toString', '', 'create-todo\u0000'].map((name) => ({
      name: `tools/call of an unknown tool ${JSON.stringify(name)}`,
      json: call(name, {}),
      expect: ['tool-error', 'rpc-error'] as OutcomeKind[],
      // The SDK (1.32) looks tools up on a plain object, so `constructor` is reported as "disabled": odd, but a clear refusal.
      message: /not found|Unknown tool|Invalid|disabled/i,
    })),
  ];

  const INVALID_UTF8 = Buffer.concat([
    Buffer.from('{"jsonrpc":"2.0","id":11,"method":"tools/call","params":{"name":"create-todo","arguments":{"content":"bad '),
    Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80]),
    Buffer.from('"}}}'),
  ]);

  const transport: HostileCase[] = [
    { name: 'invalid UTF-8 bytes in the body', raw: INVALID_UTF8, expect: ['4xx'], message: /UTF-8/ },
    { name: 'a UTF-16 charset', raw: JSON.stringify(call('get-todos', {})), headers: { 'content-type': 'application/json; charset=utf-16' }, expect: ['4xx'] },
    { name: 'a text/plain body', raw: JSON.stringify(call('get-todos', {})), headers: { 'content-type': 'text/plain' }, expect: ['4xx'] },
    { name: 'a body of 300 KB', raw: JSON.stringify(call('create-todo', { content: 'b'.repeat(300_000) })), expect: ['4xx'], message: /too large/ },
    { name: 'a body of 8 MB', raw: JSON.stringify(call('create-todo', { content: 'b'.repeat(8_000_000) })), expect: ['4xx'], message: /too large/ },
    { name: 'JSON nested 50,000 deep', raw: `${'['.repeat(50_000)}${']'.repeat(50_000)}`, expect: ['4xx', 'rpc-error'] },
    { name: 'a tools/call without a session', json: call('get-todos', {}), session: false, expect: ['4xx'], message: /Mcp-Session-Id|initialize/ },
    { name: 'an unknown session id', json: call('get-todos', {}), session: false, headers: { 'mcp-session-id': 'not-a-session' }, expect: ['4xx'], message: /Session not found/ },
    { name: "bob presenting alice's session id", json: call('get-todos', {}), token: 'bob', expect: ['4xx'], message: /Session not found/ },
    { name: 'an unsupported MCP-Protocol-Version', json: call('get-todos', {}), headers: { 'mcp-protocol-version': '1999-01-01' }, expect: ['4xx'], message: /MCP-Protocol-Version/ },
    { name: 'a foreign Origin', json: call('get-todos', {}), headers: { origin: 'https://evil.example' }, expect: ['4xx'], message: /Origin/ },
    { name: 'Origin null', json: call('get-todos', {}), headers: { origin: 'null' }, expect: ['4xx'], message: /Origin/ },
    { name: 'a PUT', json: call('get-todos', {}), method: 'PUT', expect: ['4xx'] },
    { name: 'access_token in the query string', json: call('get-todos', {}), query: 'access_token=abc', expect: ['4xx'], message: /Authorization header only/ },
  ];

  /** Tokens and values aimed at the challenge header. */
  const headerInjection: HostileCase[] = [
    { name: 'no token at all', json: call('get-todos', {}), token: 'none', session: false, expect: ['4xx'], message: /requires an OAuth access token/ },
    { name: 'a token with a quote', json: rpc('tools/list'), token: () => Promise.resolve('abc"def'), expect: ['4xx'], message: /exactly one bearer token/ },
    { name: 'two bearer tokens', json: rpc('tools/list'), token: () => Promise.resolve('abc def'), expect: ['4xx'] },
    { name: 'a 10 KB token', json: rpc('tools/list'), token: () => Promise.resolve('a'.repeat(10_000)), expect: ['4xx'], message: /malformed|invalid/ },
    { name: 'a 20 KB token (past Node’s header limit)', json: rpc('tools/list'), token: () => Promise.resolve('a'.repeat(20_000)), expect: ['4xx'], message: /Too Large/ },
    { name: 'a kid with CRLF and quotes', json: rpc('tools/list'), token: () => ctx.sign({ sub: 'alice', aud: ctx.resource() }, { kid: INJECT }), expect: ['4xx'] },
    { name: 'an iss with CRLF and quotes', json: rpc('tools/list'), token: () => ctx.sign({ sub: 'alice', aud: ctx.resource(), iss: INJECT }), expect: ['4xx'], message: /not issued by the trusted issuer/ },
    { name: 'an aud with CRLF and quotes', json: rpc('tools/list'), token: () => ctx.sign({ sub: 'alice', aud: INJECT }), expect: ['4xx'], message: /not for this resource/ },
    { name: 'a typ with CRLF and quotes', json: rpc('tools/list'), token: () => ctx.sign({ sub: 'alice', aud: ctx.resource() }, { header: { typ: INJECT } }), expect: ['4xx', 'ok'] },
    { name: 'an alg with CRLF and quotes', json: rpc('tools/list'), token: () => ctx.sign({ sub: 'alice', aud: ctx.resource() }, { header: { alg: INJECT } }).catch(() => 'eyJhbGciOiJ4In0.e30.x'), expect: ['4xx'] },
    {
      name: 'a valid token whose scope claim carries CRLF and quotes, calling a tool it lacks',
      json: call('create-todo', { content: 'x' }),
      session: false,
      token: () => ctx.sign({ sub: 'alice', aud: ctx.resource(), scope: INJECT }),
      expect: ['4xx'],
      message: /needs the scope create:todos/,
    },
    {
      name: 'a valid token whose sub carries CRLF and quotes',
      json: rpc('initialize', { protocolVersion: LATEST_PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: INJECT, version: INJECT } }),
      session: false,
      token: () => ctx.sign({ sub: INJECT, aud: ctx.resource(), scope: 'create:todos' }),
      expect: ['ok'],
    },
  ];

  return [
    ['malformed JSON', malformedJson],
    ['wrong JSON-RPC shapes', [...wrongShapes, ...unanswered]],
    ['ids of every type', ids],
    ['tool arguments', toolCases],
    ['transport-level abuse', transport],
    ['values aimed at WWW-Authenticate', headerInjection],
  ];
}
