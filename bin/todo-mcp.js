#!/usr/bin/env node
// Thin shim: all behaviour lives in the CLI bundle (`npm run build`: tools/bundle-cli.mjs), so the bin never
// drifts from src/. Node >= 22.1 keeps a compile cache of the bundle between runs; Node 20 has no such API.
import module from 'node:module';

module.enableCompileCache?.();
import('../dist/bundle/cli.js').then((cli) => cli.main(process.argv));
