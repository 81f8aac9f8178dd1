/** `lambdastar predict`: λ* for a new N from a stored sweep, with a 95 % prediction interval. */
import { analyze } from '../analysis/analyze.js';
import { pickGroup, predictLambdaStar } from '../analysis/predict.js';
import { loadManifest, readSweep } from '../sweep/load-sweep.js';
import type { CloudFlags } from './cloud-flags.js';
import { openStoreFromFlags } from './open-store-from-flags.js';
import { resolveSweep } from './resolve-sweep.js';

export interface PredictFlags extends Pick<CloudFlags, 'store' | 'stackOutputs' | 'region'> {
  sweep?: string;
  n: number;
  reg?: string;
  initFactor?: number;
  excludeEdges?: boolean;
  json?: boolean;
}

const e = (v: number) => v.toExponential(2);

export async function predictCommand(flags: PredictFlags): Promise<void> {
  const store = await openStoreFromFlags(flags);
  const id = await resolveSweep(store, flags.sweep);
  const manifest = await loadManifest(store, id);
  const analysis = analyze(manifest, await readSweep(store, manifest));
  const p = predictLambdaStar(pickGroup(analysis, flags.reg, flags.initFactor), flags.n, flags.excludeEdges);
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(p, null, 2)}\n`);
    return;
  }
  const s = p.fit.slope;
  const lines = [
    `predicted λ* at N = ${p.n} (${p.group}): ${e(p.lambdaStar)}, 95 % prediction interval [${e(p.interval[0])}, ${e(p.interval[1])}]`,
    `fit: λ* = ${e(p.fit.c)} · N^${s.value.toFixed(3)}` +
      (s.ci95 ? ` (slope 95 % CI [${s.ci95[0].toFixed(3)}, ${s.ci95[1].toFixed(3)}])` : '') +
      ` over N = ${p.fit.fittedN.join(', ')}`,
  ];
  if (p.warning) lines.push(`warning: ${p.warning}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}
