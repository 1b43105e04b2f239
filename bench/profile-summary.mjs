#!/usr/bin/env node
// Summarises a V8 .cpuprofile (from `node bench/run.mjs --cpu-prof <dir>`): self time by package or
// source area and the top functions, so a missed target can be explained without opening DevTools.
// Usage: node bench/profile-summary.mjs <file.cpuprofile> [top=25]
import { readFile } from 'node:fs/promises';

const [file, topArg] = process.argv.slice(2);
if (!file) {
  process.stderr.write('Usage: node bench/profile-summary.mjs <file.cpuprofile> [top]\n');
  process.exit(2);
}
const top = Number(topArg ?? 25);
const profile = JSON.parse(await readFile(file, 'utf8'));

// Self time per node: samples × their interval (timeDeltas are the gaps between samples, in µs).
const selfUs = new Map();
profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
// Idle time is the process waiting (for the disk, for requests): shown apart, percentages are of busy time.
const idleIds = new Set(profile.nodes.filter((n) => n.callFrame.functionName === '(idle)').map((n) => n.id));
let idle = 0;
let total = 0;
for (const [id, us] of selfUs) {
  if (idleIds.has(id)) idle += us;
  else total += us;
}

function area(url) {
  if (!url) return '(native/V8)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  const dist = /\/dist\/([^/]+)\//.exec(url);
  if (dist) return `todo-mcp dist/${dist[1]}`;
  return url.split('/').slice(-2).join('/');
}

const byArea = new Map();
const byFunction = new Map();
for (const node of profile.nodes) {
  const us = selfUs.get(node.id) ?? 0;
  if (us === 0 || idleIds.has(node.id)) continue;
  const { functionName, url, lineNumber } = node.callFrame;
  const where = area(url);
  byArea.set(where, (byArea.get(where) ?? 0) + us);
  const key = `${functionName || '(anonymous)'}  ${url ? `${url.split('/').slice(-1)[0]}:${lineNumber + 1}` : ''} [${where}]`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + us);
}

const pct = (us) => `${((us / total) * 100).toFixed(1).padStart(5)}%`;
const lines = [`${file}: ${(total / 1e6).toFixed(2)} s busy, ${(idle / 1e6).toFixed(2)} s idle`];
const section = (title, map) => {
  lines.push('', title);
  for (const [name, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`${pct(us)}  ${name}`);
};
section('self time by area (% of busy):', byArea);
section('self time by function (% of busy):', byFunction);
// One write, so `| head` closing the pipe early does not raise EPIPE mid-report.
process.stdout.on('error', () => undefined);
process.stdout.write(`${lines.join('\n')}\n`);
