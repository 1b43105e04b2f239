import autocannon from 'autocannon';
import { isToolSuccess, MCP_HEADERS } from './fixtures.mjs';

function runOnce(options) {
  return new Promise((resolve, reject) => {
    const instance = autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
    instance.on('error', reject);
  });
}

/**
 * POSTs `body` to `url` from `connections` keep-alive connections for `duration` seconds. `headersFor(i)`
 * gives connection i its own headers (its session id, its token). A warm-up run (not measured, same
 * connections' headers, `warmup.body` or the measured body) lets V8 optimise first.
 */
export async function runLoad({ url, body, duration, connections, headersFor = () => ({}), warmup }) {
  const base = { url, method: 'POST', connections, headers: MCP_HEADERS, timeout: 10 };
  const setupClient = () => {
    let next = 0;
    return (client) => client.setHeaders({ ...MCP_HEADERS, ...headersFor(next++ % connections) });
  };
  if (warmup && warmup.duration > 0) {
    await runOnce({ ...base, body: warmup.body ?? body, duration: warmup.duration, setupClient: setupClient() });
  }
  const result = await runOnce({ ...base, body, duration, setupClient: setupClient(), verifyBody: isToolSuccess });
  return {
    requests: result.requests.total,
    reqPerSec: Math.round(result.requests.total / result.duration),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    mismatches: result.mismatches,
    durationSec: result.duration,
  };
}
