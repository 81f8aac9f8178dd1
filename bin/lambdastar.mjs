#!/usr/bin/env node
// The CLI lives in the esbuild bundle that `npm ci` / `npm run build` writes to dist/.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../dist/cli.mjs', import.meta.url));
if (!existsSync(cli)) {
  console.error('lambdastar: dist/cli.mjs is missing; run `npm run build` in the lambdastar folder first');
  process.exit(2);
}
// The AWS SDK's eight-line notice that its releases after January 2027 need Node 22 is about
// versions the lockfile does not install; errors here are one line, and so is everything else.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
await import(cli);
