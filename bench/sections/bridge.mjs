import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { makeTodos, SEED_COUNT } from '../lib/fixtures.mjs';
import { markdownTable } from '../lib/table.mjs';
import { startTodoMcpRow } from '../lib/todo-server-rows.mjs';
import { writeTokenStore } from './cli-startup.mjs';

const BIN = fileURLToPath(new URL('../../bin/todo-mcp.js', import.meta.url));
/** Issue 14: a tools/call through the bridge costs at most this much more than the same call made directly (medians). */
export const BRIDGE_TARGET_MS = 2;

function stats(values) {
  const sorted = [...values].sort((x, y) => x - y);
  const at = (p) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  const round = (ms) => Math.round(ms * 1000) / 1000;
  return { medianMs: round(median), p99Ms: round(at(99)), meanMs: round(values.reduce((s, x) => s + x, 0) / values.length), minMs: round(sorted[0]) };
}

/**
 * Section 5: what `todo-mcp connect` adds to a call. One todo-mcp server (child process, bench issuer,
 * sessions), one token; two MCP hosts in this process, both the SDK's own Client: "direct" speaks
 * Streamable HTTP to the server with the token, "bridged" speaks stdio to `todo-mcp connect`, which finds
 * the same token in its token store and forwards. Both call get-todos `calls` times, one call at a time,
 * alternating (and alternating which goes first) so both see the same machine; after `warmup` unmeasured
 * calls each. The overhead is bridged's median minus direct's.
 */
export async function runBridgeOverhead({ calls, warmup = Math.min(100, calls), cpuProfDir, log }) {
  const home = await mkdtemp(join(tmpdir(), 'todo-mcp-bench-bridge-'));
  const setup = await startTodoMcpRow({ todos: makeTodos(SEED_COUNT), stateless: false, connections: 1 });
  const clients = {};
  try {
    const { server, issuer } = setup;
    const token = await issuer.sign({ audience: server.resource });
    const todoHome = join(home, 'todo-mcp');
    await writeTokenStore(todoHome, { server: server.mcpUrl, resource: server.resource, issuer, token });

    clients.direct = new Client({ name: 'bench-direct', version: '1.0.0' });
    await clients.direct.connect(new StreamableHTTPClientTransport(new URL(server.mcpUrl), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
    const bridge = new StdioClientTransport({
      command: process.execPath,
      // With --cpu-prof, the bridge process is the one profiled (it writes bridge.cpuprofile when it exits).
      args: [...(cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', cpuProfDir, '--cpu-prof-name', 'bridge.cpuprofile'] : []), BIN, 'connect', server.mcpUrl, '--no-login'],
      env: { HOME: home, TODO_MCP_HOME: todoHome, NO_COLOR: '1' },
      stderr: 'pipe',
    });
    let bridgeStderr = '';
    bridge.stderr?.on('data', (chunk) => (bridgeStderr += chunk));
    clients.bridged = new Client({ name: 'bench-bridged', version: '1.0.0' });
    await clients.bridged.connect(bridge);

    const call = async (which) => {
      const started = performance.now();
      const result = await clients[which].callTool({ name: 'get-todos', arguments: {} });
      const ms = performance.now() - started;
      if (result.isError || !Array.isArray(result.structuredContent?.todos)) {
        throw new Error(`${which} get-todos failed: ${JSON.stringify(result).slice(0, 300)}\n${bridgeStderr}`);
      }
      return ms;
    };
    for (let i = 0; i < warmup; i += 1) {
      await call('direct');
      await call('bridged');
    }
    const times = { direct: [], bridged: [] };
    for (let i = 0; i < calls; i += 1) {
      for (const which of i % 2 ? ['bridged', 'direct'] : ['direct', 'bridged']) times[which].push(await call(which));
    }
    const direct = stats(times.direct);
    const bridged = stats(times.bridged);
    const overheadMs = Math.round((bridged.medianMs - direct.medianMs) * 1000) / 1000;
    log(`bridge: get-todos direct median ${direct.medianMs} ms (p99 ${direct.p99Ms}), bridged ${bridged.medianMs} ms (p99 ${bridged.p99Ms}); overhead ${overheadMs} ms over ${calls} calls each`);
    return { tool: 'get-todos', calls, warmup, direct, bridged, overheadMs, target: BRIDGE_TARGET_MS, meetsTarget: overheadMs <= BRIDGE_TARGET_MS };
  } finally {
    await Promise.all(Object.values(clients).map((client) => client.close().catch(() => undefined)));
    await setup.close();
    await rm(home, { recursive: true, force: true });
  }
}

export function bridgeTable(result) {
  const row = (name, s, extra) => [name, s.medianMs, s.p99Ms, s.meanMs, s.minMs, result.calls, extra];
  return markdownTable(['get-todos, one call at a time', 'median ms', 'p99 ms', 'mean ms', 'min ms', 'calls', 'overhead (median)'], [
    row('direct: SDK Client → Streamable HTTP', result.direct, 'reference'),
    row('bridged: SDK Client → stdio → todo-mcp connect', result.bridged, `${result.overheadMs} ms (target ≤ ${result.target} ms ${result.meetsTarget ? 'met' : 'MISSED'})`),
  ]);
}
