#!/usr/bin/env node
// Thin shim: all behaviour lives in the CLI bundle (`npm run build`: tools/bundle-cli.mjs), so the bin never
// drifts from src/. It is CommonJS (bin/package.json), like the bundle's first layers, so that a light command
// never starts the ES module loader: measured on Node 20, an ES module shim added 8–12 ms to every start.
// Node >= 22.1 keeps a compile cache of the bundle between runs; Node 20 has no such API.
'use strict';

require('node:module').enableCompileCache?.();
require('../dist/bundle/main.cjs').main(process.argv);
