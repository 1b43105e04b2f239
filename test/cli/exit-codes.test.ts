import { describe, expect, it } from 'vitest';
import { EXIT, EXIT_FOR_CODE, EXIT_MEANINGS } from '../../src/cli/cli-error.js';
import { readmeTable } from '../helpers/readme-table.js';

describe('exit codes', () => {
  it("the README's table and the code's table hold the same codes with the same meanings", () => {
    const readme = new Map(readmeTable('Exit codes', 'code').map(([code, meaning]) => [Number(code), meaning]));
    const code = new Map(Object.entries(EXIT_MEANINGS).map(([exit, meaning]) => [Number(exit), meaning]));
    // Both directions: no code documented that the CLI does not have, none the CLI has left undocumented.
    expect([...readme.keys()].sort((a, b) => a - b)).toEqual([...code.keys()].sort((a, b) => a - b));
    for (const [exit, meaning] of code) expect(readme.get(exit), `exit ${exit}`).toBe(meaning);
  });

  it('every named exit code has a meaning and every meaning a name', () => {
    expect(Object.values(EXIT).sort((a, b) => a - b)).toEqual(Object.keys(EXIT_MEANINGS).map(Number).sort((a, b) => a - b));
  });

  it('every error code maps to a declared exit code', () => {
    const exits = new Set<number>(Object.values(EXIT));
    for (const [code, exit] of Object.entries(EXIT_FOR_CODE)) expect(exits.has(exit), code).toBe(true);
    // The fixes of issue 17: a failing server is not "unreachable", a JSON-RPC error is not "usage".
    expect(EXIT_FOR_CODE.server_error).toBe(EXIT.serverError);
    expect(EXIT_FOR_CODE.rpc_error).toBe(EXIT.serverError);
    expect(EXIT_FOR_CODE.protocol_violation).toBe(EXIT.protocolViolation);
    expect(EXIT_FOR_CODE.unreachable).toBe(EXIT.unreachable);
  });
});
