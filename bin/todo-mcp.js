#!/usr/bin/env node
// Thin shim: all behaviour lives in the compiled CLI so the bin never drifts from src/.
import('../dist/cli/main.js').then((cli) => cli.main(process.argv));
