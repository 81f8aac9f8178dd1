/** The simulation's report as lines for a terminal. */
import { FAILURE_KINDS } from '../../orchestrator/executors/executor.js';
import type { SimulationReport } from './simulation.js';

const s = (x: number) => `${x.toFixed(1)} s`;
const usd = (x: number) => `$${x.toFixed(2)}`;
const pct = (x: number) => `${+(100 * x).toFixed(2)} %`;
const orDefault = (x: number | null, unit = '') => (x === null ? 'default' : `${x}${unit}`);

export function formatReport(r: SimulationReport, realSeconds: number): string[] {
  const o = r.executorOptions;
  const u = r.usage;
  const l = r.lambda;
  const failures = FAILURE_KINDS.map((k) => `${k} ${u.failures[k]}`).join(', ');
  return [
    `simulated ${r.tasks} tasks at concurrency ${r.concurrency} (run at ${r.runConcurrency}), quota ${r.quota}: crashes ${pct(r.crashRate)}, hangs ${pct(r.hangRate)} of invocations, seed ${r.seed}`,
    ...r.facts.map((f) => `  ${f}`),
    `executor      target ${orDefault(o.targetSeconds, ' s')}, hedge factor ${orDefault(o.hedgeFactor)}, hedge after ${orDefault(o.hedgeAfterSeconds, ' s')}, invocation timeout ${orDefault(o.invocationTimeoutSeconds, ' s')}; ${r.batches} batches packed`,
    `wall          ${s(r.wallSeconds)} simulated against a lower bound of ${s(r.lowerBoundSeconds)}: ×${r.ratio.toFixed(3)}` +
      ` (critical path ${s(r.bound.criticalPathSeconds)}, capacity ${s(r.bound.capacitySeconds)}, ramp ${s(r.bound.rampSeconds)}); ${realSeconds.toFixed(1)} s real`,
    `invocations   ${u.invocations} (hedges ${u.hedges}); batches split or retried ${r.reruns}, throttles ${u.throttles}; Lambda saw ${l.requests} requests: ${l.throttles} throttled, ${l.coldStarts} cold starts, peak ${l.peakBusy} busy`,
    `faults        injected: ${l.crashes} crashes, ${l.hangs} hangs, ${l.timeouts} function timeouts, ${l.oversized} over the payload limit; ${l.aborted} answers nobody waited for`,
    `failures      by class (executor): ${failures}`,
    `billed        ${r.billed.gbSeconds.toFixed(0)} GB-s = ${usd(r.billed.dollars)} (Lambda's bill) against ${r.estimate.gbSeconds.toFixed(0)} GB-s = ${usd(r.estimate.dollars)} estimated` +
      ` (×${(r.billed.dollars / r.estimate.dollars).toFixed(3)}; tasks ran ×${r.actualOverPredicted.toFixed(3)} their prediction); the executor counts ${usd(r.executorBelieved.dollars)} (${u.unbilled} invocations estimated)`,
    `results       lost ${r.lost}, duplicated ${r.duplicated} (${r.failedForGood} failed for good)`,
    ...Object.entries(r.failureMessages).slice(0, 5).map(([m, n]) => `  ${n} × ${m}`),
  ];
}
