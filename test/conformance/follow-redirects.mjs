#!/usr/bin/env node
// `BROWSER` for the conformance suite: its /authorize redirects at once, so fetching the URL and
// following redirects (like `curl -sL`) lands on the CLI's loopback callback, as a browser would.
const response = await fetch(process.argv[2]);
await response.arrayBuffer();
