import autocannon from 'autocannon';
import { isToolSuccess, MCP_HEADERS, UNIQUE_ID } from './fixtures.mjs';

function runOnce(options) {
  return new Promise((resolve, reject) => {
    const instance = autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
    instance.on('error', reject);
  });
}

/**
 * POSTs `body` to `url` from `connections` keep-alive connections for `duration` seconds (or until
 * `amount` requests were answered). `headersFor(i)`
 * gives connection i its own headers (its session id, its token); a request unanswered after
 * `timeoutSec` counts as a timeout. Every answer must be a successful tool
 * result; others count as `mismatches`.
 */
export async function runLoad({ url, body, duration, amount, connections, headersFor = () => ({}), timeoutSec = 10 }) {
  let next = 0;
  // Every request its own JSON-RPC id, as a real client numbers them: the body is rebuilt per request
  // (autocannon's own idReplacement miscounts Content-Length with its id generator, so it is not used).
  const [before, after] = JSON.stringify(UNIQUE_ID).length && body.includes(JSON.stringify(UNIQUE_ID)) ? body.split(JSON.stringify(UNIQUE_ID)) : [body, undefined];
  let id = 0;
  const requests = after === undefined ? undefined : [{ method: 'POST', setupRequest: (request) => ({ ...request, body: `${before}${(id += 1)}${after}` }) }];
  const result = await runOnce({
    url,
    method: 'POST',
    connections,
    headers: MCP_HEADERS,
    body,
    // A number of requests instead of a time (the smoke run: every row answers some, however busy the machine).
    ...(amount ? { amount } : { duration }),
    // autocannon only stops at a sample tick (default every 1 s): shorter runs need shorter samples.
    sampleInt: amount ? 100 : Math.min(1000, duration * 1000),
    timeout: timeoutSec,
    setupClient: (client) => client.setHeaders({ ...MCP_HEADERS, ...headersFor(next++ % connections) }),
    ...(requests ? { requests } : {}),
    verifyBody: isToolSuccess,
  });
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
