#!/usr/bin/env node
// A `BROWSER` command for tests: hands the URL it is given to the test's browser relay
// (TODO_MCP_TEST_BROWSER_RELAY), which signs in the way a user would, then exits.
const [url] = process.argv.slice(2);
const relay = process.env.TODO_MCP_TEST_BROWSER_RELAY;
if (!url || !relay) {
  console.error('usage: TODO_MCP_TEST_BROWSER_RELAY=<relay url> browser-open.mjs <url>');
  process.exit(2);
}
const response = await fetch(relay, { method: 'POST', body: url });
process.exit(response.ok ? 0 : 1);
