import { fork } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeTodos, SEED_COUNT, TOOL_REQUESTS, writeTodoFile } from '../lib/fixtures.mjs';
import { startBenchIssuer } from '../lib/issuer.mjs';
import { runLoad } from '../lib/load.mjs';
import { openSession } from '../lib/mcp-http.mjs';
const [mode = 'stateless', tool = 'get-todos', rounds = '3', dur = '5'] = process.argv.slice(2);
const stateless = mode === 'stateless';
async function start(dist) {
  const issuer = await startBenchIssuer();
  const dir = await mkdtemp(join(tmpdir(), 'ab-'));
  const dataFile = join(dir, 'todos.json');
  await writeTodoFile(dataFile, makeTodos(SEED_COUNT));
  const child = fork(new URL('./server.mjs', import.meta.url).pathname, [JSON.stringify({ issuer: issuer.issuer, dataFile, stateless, dist })], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const info = await new Promise((r) => child.on('message', (m) => m.type === 'ready' && r(m)));
  const url = `http://127.0.0.1:${info.port}/mcp`;
  const headers = [];
  for (let i = 0; i < 25; i++) {
    const auth = { authorization: `Bearer ${await issuer.sign({ audience: info.resource, sub: 'u' + i })}` };
    headers.push(stateless ? auth : { ...auth, 'mcp-session-id': await openSession(url, auth) });
  }
  return { url, headersFor: (i) => headers[i], close: async () => { child.kill(); await issuer.close(); } };
}
const ratios = [];
for (let i = 0; i < Number(rounds); i++) {
  const A = await start(new URL('./dist-before', import.meta.url).pathname);
  const B = await start(process.env.AA ? new URL('./dist-before', import.meta.url).pathname : new URL('../../dist', import.meta.url).pathname);
  const go = (s, duration) => runLoad({ url: s.url, body: TOOL_REQUESTS[tool], duration, connections: 25, headersFor: s.headersFor });
  await Promise.all([go(A, 2), go(B, 2)]);
  const [ra, rb] = await Promise.all([go(A, Number(dur)), go(B, Number(dur))]);
  ratios.push(rb.reqPerSec / ra.reqPerSec);
  console.log(`${mode} ${tool}: before ${ra.reqPerSec} req/s, after ${rb.reqPerSec} req/s, after/before ${(rb.reqPerSec / ra.reqPerSec).toFixed(2)}`);
  await A.close(); await B.close();
}
ratios.sort((x, y) => x - y);
console.log('median after/before', ratios[ratios.length >> 1].toFixed(2));
