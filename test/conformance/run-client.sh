#!/bin/sh
# The client command the MCP conformance suite runs (it appends the server URL):
#   todo-mcp call test-tool <server url>
# with one TODO_MCP_HOME per scenario, and the suite's pre-registered credentials
# (MCP_CONFORMANCE_CONTEXT, flat JSON) passed the way a user passes them: TODO_MCP_CLIENT_ID / _SECRET.
# Needs: CONFORMANCE_HOMES (a directory), CONFORMANCE_NODE (node binary), CONFORMANCE_BROWSER ($BROWSER).
set -eu
here=$(dirname "$0")
scenario=${MCP_CONFORMANCE_SCENARIO:-unknown}
TODO_MCP_HOME="$CONFORMANCE_HOMES/$(printf '%s' "$scenario" | tr '/' '_')"
context=${MCP_CONFORMANCE_CONTEXT:-}
field() { printf '%s' "$context" | sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p"; }
client_id=$(field client_id)
client_secret=$(field client_secret)
if [ -n "$client_id" ]; then export TODO_MCP_CLIENT_ID="$client_id"; fi
if [ -n "$client_secret" ]; then export TODO_MCP_CLIENT_SECRET="$client_secret"; fi
export TODO_MCP_HOME
export BROWSER="$CONFORMANCE_BROWSER"
export TODO_MCP_CLIENT_METADATA_URL=https://conformance-test.local/client-metadata.json
export TODO_MCP_LOGIN_TIMEOUT=60
export NO_COLOR=1
exec "$CONFORMANCE_NODE" "$here/../../bin/todo-mcp.js" call test-tool "$@"
