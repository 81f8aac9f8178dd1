#!/usr/bin/env node
// The CLI lives in the esbuild bundle that `npm ci` / `npm run build` writes to dist/.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../dist/cli.mjs', import.meta.url));
if (!existsSync(cli)) {
  console.error('lambdastar: dist/cli.mjs is missing; run `npm run build` in the lambdastar folder first');
  process.exit(2);
}
await import(cli);
