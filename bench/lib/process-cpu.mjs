import { execFileSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';

// What other processes cost, read from /proc (Linux): the PostgreSQL backends and the proxy that rows
// through PostgreSQL use besides the server itself.

const clockTicks = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU milliseconds a process has used so far (0 once it is gone). */
export async function cpuMs(pid) {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks;
  } catch {
    return 0;
  }
}

export async function peakRssKb(pid) {
  try {
    return Number(/VmHWM:\s+(\d+) kB/.exec(await readFile(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** The postmaster and its backends: the database's processes. */
export async function postgresPids(postmaster) {
  const pids = [postmaster];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === postmaster) pids.push(Number(entry));
  }
  return pids;
}

/** CPU milliseconds the postmaster and its live backends have used so far. */
export async function postgresCpuMs(postmaster) {
  const times = await Promise.all((await postgresPids(postmaster)).map(cpuMs));
  return times.reduce((a, b) => a + b, 0);
}
