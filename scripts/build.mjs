// Bundles the Lambda handler, the CLI and the pool worker into dist/ with esbuild.
import { readFileSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

// The Lambda runtime, stated once (the CDK stack deploys on it).
const { nodeMajor } = JSON.parse(readFileSync(new URL('../functions/lambda-runtime.json', import.meta.url), 'utf8'));

const common = { bundle: true, platform: 'node', format: 'esm', target: 'node20', sourcemap: true, logLevel: 'warning' };

// Chunk names carry a content hash: clear the old ones so dist/ holds one build.
rmSync('dist/cli-chunks', { recursive: true, force: true });

await Promise.all([
  // The Lambda bundle: the SDK stays external (the Node.js runtime ships it), zod is bundled.
  build({ ...common, target: `node${nodeMajor}`, entryPoints: ['functions/handler.ts'], outfile: 'dist/trainer/index.mjs', external: ['@aws-sdk/*'] }),
  // Local entry points resolve their dependencies from node_modules.
  // The CLI is split: each command's code is a chunk loaded when the command runs, so `--help`
  // starts without the AWS SDK, vega or zod.
  build({ ...common, entryPoints: { cli: 'orchestrator/cli.ts' }, outdir: 'dist', splitting: true, chunkNames: 'cli-chunks/[name]-[hash]', outExtension: { '.js': '.mjs' }, packages: 'external' }),
  build({ ...common, entryPoints: ['orchestrator/executors/pool-worker.ts'], outfile: 'dist/pool-worker.mjs', packages: 'external' }),
]);
