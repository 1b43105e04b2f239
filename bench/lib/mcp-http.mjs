import { isToolSuccess, MCP_HEADERS, PROTOCOL_VERSION } from './fixtures.mjs';

async function post(url, headers, body) {
  const response = await fetch(url, { method: 'POST', headers: { ...MCP_HEADERS, ...headers }, body: JSON.stringify(body) });
  const text = await response.text();
  return { response, text };
}

/**
 * Opens one MCP session the way a client does (initialize, then notifications/initialized) and returns
 * its id. `headers` carry the bearer token where the server needs one.
 */
export async function openSession(url, headers = {}) {
  const init = await post(url, headers, {
    jsonrpc: '2.0',
    id: 0,
    method: 'initialize',
    params: { protocolVersion: PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: 'todo-mcp-bench', version: '0.0.0' } },
  });
  const sessionId = init.response.headers.get('mcp-session-id');
  if (!init.response.ok || !sessionId) throw new Error(`initialize failed: HTTP ${init.response.status} ${init.text.slice(0, 200)}`);
  const ack = await post(url, { ...headers, 'mcp-session-id': sessionId }, { jsonrpc: '2.0', method: 'notifications/initialized' });
  if (ack.response.status !== 202) throw new Error(`notifications/initialized failed: HTTP ${ack.response.status} ${ack.text.slice(0, 200)}`);
  return sessionId;
}

/** Sends one request body and throws unless it is a successful tool call: a row never measures errors. */
export async function checkToolCall(url, headers, body) {
  const { response, text } = await post(url, headers, JSON.parse(body));
  if (!response.ok || !isToolSuccess(text)) throw new Error(`tool call check failed: HTTP ${response.status} ${text.slice(0, 300)}`);
  return text;
}
