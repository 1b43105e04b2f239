import { readFileSync } from 'node:fs';
import { LATEST_PROTOCOL_VERSION as SDK_LATEST, SUPPORTED_PROTOCOL_VERSIONS as SDK_SUPPORTED } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { initializeParams, LATEST_PROTOCOL_VERSION, SUPPORTED_PROTOCOL_VERSIONS } from '../../src/client/mcp-protocol.js';
import { VERSION } from '../../src/config/version.js';

describe('the client speaks what the SDK speaks', () => {
  it('the same latest revision and the same supported revisions, in the same order', () => {
    expect(LATEST_PROTOCOL_VERSION).toBe(SDK_LATEST);
    expect([...SUPPORTED_PROTOCOL_VERSIONS]).toEqual([...SDK_SUPPORTED]);
  });

  it('introduces itself with the version in package.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(VERSION).toBe(pkg.version);
    expect(initializeParams().clientInfo).toEqual({ name: 'todo-mcp', version: pkg.version });
  });
});
