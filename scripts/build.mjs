// Bundles the Lambda handler, the CLI and the pool worker into dist/ with esbuild.
import { build } from 'esbuild';

const common = { bundle: true, platform: 'node', format: 'esm', target: 'node20', sourcemap: true, logLevel: 'warning' };

await Promise.all([
  // The Lambda bundle: the SDK stays external (the Node.js runtime ships it), zod is bundled.
  build({ ...common, entryPoints: ['functions/handler.ts'], outfile: 'dist/trainer/index.mjs', external: ['@aws-sdk/*'] }),
  // Local entry points resolve their dependencies from node_modules.
  build({ ...common, entryPoints: ['orchestrator/cli.ts'], outfile: 'dist/cli.mjs', packages: 'external' }),
  build({ ...common, entryPoints: ['orchestrator/executors/pool-worker.ts'], outfile: 'dist/pool-worker.mjs', packages: 'external' }),
]);
