// A small round-robin HTTP load balancer on 127.0.0.1, for the replica tests and the bench (plain
// JavaScript so that `bench/` can use it without a build step; types in round-robin-proxy.d.mts).
//
// Retry rule: a request is sent again to another replica only when that cannot apply it twice.
//  - The connection was refused (ECONNREFUSED): the replica never saw the request, so any request,
//    create-todo included, is retried.
//  - Anything else before an answer (reset, hang-up, timeout): the replica may have acted on it. Only
//    requests the `retrySafe` predicate accepts (by default the idempotent HTTP methods; see
//    mcpRetrySafe for MCP reads) are retried; the rest get 502 and the client decides.
//  - Once an answer has started it is relayed, and a failure mid-body cuts the client's connection.
// A replica that failed is skipped for `downForMs`, then tried again.
import { Agent, createServer, request as httpRequest } from 'node:http';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'proxy-authorization']);
const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

/** Default retry predicate: the idempotent HTTP methods (RFC 9110 §9.2.2); never a POST. */
export function idempotentMethod(method) {
  return IDEMPOTENT_METHODS.has(method);
}

/**
 * For MCP over Streamable HTTP: idempotent methods, and POSTs whose JSON-RPC messages only read:
 * initialize, ping, the list methods, notifications, and tools/call of the tools named in `readOnlyTools`.
 */
export function mcpRetrySafe(readOnlyTools) {
  const readOnly = new Set(readOnlyTools);
  const safeMethod = (message) =>
    typeof message?.method === 'string' &&
    (message.method === 'initialize' ||
      message.method === 'ping' ||
      message.method.startsWith('notifications/') ||
      /^(tools|resources|resources\/templates|prompts)\/list$/.test(message.method) ||
      (message.method === 'tools/call' && readOnly.has(message.params?.name)));
  return (method, body) => {
    if (idempotentMethod(method)) return true;
    if (method !== 'POST') return false;
    let parsed;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      return false;
    }
    const messages = Array.isArray(parsed) ? parsed : [parsed];
    return messages.length > 0 && messages.every(safeMethod);
  };
}

function forwardHeaders(headers, length) {
  const out = {};
  for (const [name, value] of Object.entries(headers)) if (!HOP_BY_HOP.has(name) && value !== undefined) out[name] = value;
  out['content-length'] = String(length);
  return out;
}

function badGateway(res, status, message) {
  if (res.headersSent) return void res.destroy();
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
}

/** Starts the proxy; resolves once it listens. */
export async function startRoundRobinProxy(options = {}) {
  const downForMs = options.downForMs ?? 1_000;
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const retrySafe = options.retrySafe ?? idempotentMethod;
  const agent = new Agent({ keepAlive: true, maxSockets: options.maxSocketsPerBackend ?? 256 });
  /** @type {Array<{ url: URL, downUntil: number, answered: number, failures: number }>} */
  let backends = [];
  let next = 0;
  const stats = { requests: 0, retried: 0, badGateway: 0 };

  function pick(tried) {
    const now = Date.now();
    const candidates = backends.filter((b) => !tried.has(b));
    if (candidates.length === 0) return undefined;
    const up = candidates.filter((b) => b.downUntil <= now);
    const pool = up.length > 0 ? up : candidates; // all look down: one of them may be back
    // Round robin over the full list, taking the first usable one from the cursor on.
    for (let i = 0; i < backends.length; i += 1) {
      const backend = backends[(next + i) % backends.length];
      if (pool.includes(backend)) {
        next = (next + i + 1) % backends.length;
        return backend;
      }
    }
    return pool[0];
  }

  function attempt(req, res, body, tried) {
    const backend = pick(tried);
    if (!backend) return badGateway(res, 502, 'Bad gateway: no replica could take the request.');
    tried.add(backend);
    const upstream = httpRequest({
      host: backend.url.hostname,
      port: backend.url.port,
      method: req.method,
      path: req.url,
      headers: forwardHeaders(req.headers, body.length),
      agent,
      timeout: timeoutMs,
    });
    let answered = false;
    upstream.on('response', (answer) => {
      answered = true;
      backend.answered += 1;
      const headers = {};
      for (const [name, value] of Object.entries(answer.headers)) if (!HOP_BY_HOP.has(name) && value !== undefined) headers[name] = value;
      res.writeHead(answer.statusCode ?? 502, headers);
      answer.pipe(res);
      answer.on('error', () => res.destroy());
      answer.on('aborted', () => res.destroy());
    });
    upstream.on('timeout', () => upstream.destroy(Object.assign(new Error('upstream timeout'), { code: 'ETIMEDOUT' })));
    upstream.on('error', (error) => {
      if (answered) return void res.destroy();
      backend.failures += 1;
      backend.downUntil = Date.now() + downForMs;
      const neverSent = error.code === 'ECONNREFUSED';
      if (neverSent || retrySafe(req.method, body)) {
        stats.retried += 1;
        return attempt(req, res, body, tried);
      }
      stats.badGateway += 1;
      badGateway(res, error.code === 'ETIMEDOUT' ? 504 : 502, 'Bad gateway: the replica failed before answering; the request may or may not have been applied.');
    });
    upstream.end(body);
  }

  const server = createServer((req, res) => {
    stats.requests += 1;
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > maxBodyBytes) {
        badGateway(res, 413, 'Request body too large for the proxy.');
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (size <= maxBodyBytes) attempt(req, res, Buffer.concat(chunks), new Set());
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const { port } = server.address();

  return {
    port,
    url: `http://127.0.0.1:${port}`,
    stats,
    setBackends(urls) {
      backends = urls.map((url) => ({ url: new URL(url), downUntil: 0, answered: 0, failures: 0 }));
      next = 0;
    },
    answeredBy() {
      return backends.map((b) => ({ url: b.url.origin, answered: b.answered, failures: b.failures }));
    },
    close() {
      agent.destroy();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
