/** `lambdastar verify`: re-run a sample of stored tasks here and compare digests bit for bit. */
import type { Command } from 'commander';
import { openExecutor } from '../executors/open-executor.js';
import { loadManifest } from '../report/write-report.js';
import { sampleIds, verifySample } from '../sweep/verify.js';
import type { CloudFlags } from './cloud-flags.js';
import { addStoreOptions, openStoreFromFlags } from './cloud-flags.js';
import { number, positiveInt } from './options.js';
import { resolveSweep } from './resolve-sweep.js';

interface VerifyFlags extends Pick<CloudFlags, 'store' | 'stackOutputs' | 'region'> {
  sweep?: string;
  sample: number;
  seed: number;
  concurrency?: number;
  json?: boolean;
}

export function registerVerify(program: Command): void {
  const cmd = program
    .command('verify')
    .description('re-run a sample of stored tasks locally and compare their digests bit for bit')
    .option('--sweep <id>', 'the sweep id (default: the only sweep in the store)')
    .option('--sample <k>', 'how many stored tasks to re-run', positiveInt('--sample'), 10)
    .option('--seed <s>', 'which sample (the same seed picks the same tasks)', number('--seed'), 1)
    .option('--concurrency <n>', 'local worker threads (default: the cores)', positiveInt('--concurrency'))
    .option('--json', 'print JSON');
  addStoreOptions(cmd).action(async (flags: VerifyFlags) => {
    const store = openStoreFromFlags(flags);
    const id = await resolveSweep(store, flags.sweep);
    const manifest = await loadManifest(store, id);
    const have = await store.listResultIds(id);
    const ids = sampleIds(manifest.taskIds.filter((t) => have.has(t)), flags.sample, flags.seed);
    const executor = openExecutor({ backend: 'local', concurrency: flags.concurrency });
    let report;
    try {
      report = await verifySample(store, id, ids, executor);
    } finally {
      await executor.close();
    }
    if (flags.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else {
      const lines = report.mismatches.map((m) => `MISMATCH ${m.taskId}: stored ${m.storedDigest.slice(0, 16)}… local ${m.localDigest?.slice(0, 16) ?? 'none'}… (${m.detail})`);
      lines.push(`verified ${report.checked} of ${have.size} stored tasks: ${report.matched} reproduce bit for bit, ${report.mismatches.length} do not`);
      process.stdout.write(`${lines.join('\n')}\n`);
    }
    if (report.mismatches.length > 0) process.exitCode = 1;
  });
}
