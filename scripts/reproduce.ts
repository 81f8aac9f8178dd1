/**
 * `npm run reproduce`: runs the thesis' experiments (and the protocol-sensitivity sweep) on the
 * local cores, resumably, into ./runs, then writes docs/reproduction/: each preset's analysis.json
 * and figures, and README.md comparing them with the thesis. Run it again to resume or to rebuild.
 */
import { cp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorkerPoolExecutor } from '../orchestrator/executors/worker-pool.js';
import { poolWorkerUrl } from '../orchestrator/paths.js';
import { sweepId } from '../orchestrator/plan/planner.js';
import { PRESETS } from '../orchestrator/spec/presets.js';
import { canonicalize, specSchema } from '../orchestrator/spec/spec-schema.js';
import { openStore } from '../orchestrator/store/open-store.js';
import { progressFor } from '../orchestrator/sweep/progress.js';
import { runSweep } from '../orchestrator/sweep/run-sweep.js';
import { writeReport } from '../orchestrator/report/write-report.js';
import type { Analysis } from '../orchestrator/analysis/analysis-types.js';
import { REPRODUCED_PRESETS, reproductionReadme } from './reproduction-readme.js';

const store = openStore(process.env.REPRODUCE_STORE ?? 'runs');
const out = join('docs', 'reproduction');
// `npm run reproduce -- thesis-fig2` runs and rewrites only the presets named.
const only = process.argv.slice(2);
const analyses: Record<string, Analysis> = {};
const executor = new WorkerPoolExecutor({ workerUrl: poolWorkerUrl() });
try {
  for (const name of REPRODUCED_PRESETS) {
    if (only.length > 0 && !only.includes(name)) continue;
    const spec = canonicalize(specSchema.parse(PRESETS[name]));
    const started = Date.now();
    process.stdout.write(`${name}: running (resumable) …\n`);
    const summary = await runSweep({ spec, store, executor, progress: progressFor(process.stderr) });
    if (summary.failed.length > 0) throw new Error(`${name}: ${summary.failed.length} tasks failed; run again to retry them`);
    const scratch = join(tmpdir(), `lambdastar-reproduce-${name}`);
    const { analysis } = await writeReport(store, sweepId(spec), scratch);
    analyses[name] = analysis;
    await rm(join(out, name), { recursive: true, force: true });
    await mkdir(join(out, name), { recursive: true });
    await cp(join(scratch, 'analysis.json'), join(out, name, 'analysis.json'));
    await cp(join(scratch, 'figures'), join(out, name, 'figures'), { recursive: true });
    await rm(scratch, { recursive: true, force: true });
    process.stdout.write(
      `${name}: ${summary.cells} cells, ${summary.points} points (${summary.pointsReused} reused) in ${((Date.now() - started) / 1000).toFixed(0)} s\n`,
    );
  }
} finally {
  await executor.close();
}
// The README compares every preset, so it is rewritten only when all of them were run.
if (only.length === 0) {
  await writeFile(join(out, 'README.md'), reproductionReadme(analyses));
  process.stdout.write(`wrote ${join(out, 'README.md')}\n`);
}
