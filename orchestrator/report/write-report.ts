/** Reads a sweep back from its store and writes analysis.json, results.csv, the SVGs and report.html. */
import { join } from 'node:path';
import { SWEEP_ID } from '../../functions/keys.js';
import type { Analysis } from '../analysis/analysis-types.js';
import { analyze } from '../analysis/analyze.js';
import { UsageError } from '../errors.js';
import { writeFileAtomic } from '../fs/atomic-file.js';
import { planCells } from '../plan/planner.js';
import type { Manifest, ResultStore } from '../store/result-store.js';
import { readIndex } from '../sweep/read-points.js';
import type { SweepCell } from '../sweep/sweep-cells.js';
import { sweepCells } from '../sweep/sweep-cells.js';
import { csvLines } from './csv.js';
import { reportFigures } from './figures.js';
import { reportHtml } from './html.js';
import { renderSvg } from './render-svg.js';

export class UnknownSweepError extends Error {
  readonly code = 'UNKNOWN_SWEEP';
  constructor(store: ResultStore, sweepId: string, known: string[]) {
    super(`--sweep: no sweep "${sweepId}" in ${store.location}; known: ${known.join(', ') || 'none (run one first)'}`);
  }
}

export async function loadManifest(store: ResultStore, sweepId: string): Promise<Manifest> {
  if (!SWEEP_ID.test(sweepId)) throw new UsageError(`--sweep: "${sweepId}" is not a sweep id (12 hex digits, as \`lambdastar status\` lists them)`);
  const manifest = await store.getManifest(sweepId);
  if (!manifest) throw new UnknownSweepError(store, sweepId, await store.listSweeps());
  return manifest;
}

/** The sweep's cells with the points it asked for, read from the store (every object checked). */
export async function readSweep(store: ResultStore, manifest: Manifest): Promise<SweepCell[]> {
  const index = await readIndex(store, (function* () {
    for (const c of planCells(manifest.spec)) yield c.id;
  })());
  return [...sweepCells(manifest.spec, index)];
}

export interface ReportPaths {
  dir: string;
  analysis: string;
  csv: string;
  html: string;
  figures: string[];
}

export interface ReportOptions {
  /** The N of the loss-against-λ figure (default: the largest). */
  lossN?: number;
  /** The run that wrote it was interrupted: the report says it covers what was stored. */
  partial?: boolean;
}

export async function writeReport(
  store: ResultStore,
  sweepId: string,
  outDir: string,
  opts: ReportOptions = {},
): Promise<{ analysis: Analysis; paths: ReportPaths }> {
  const manifest = await loadManifest(store, sweepId);
  if (opts.lossN !== undefined && !manifest.spec.n.includes(opts.lossN)) {
    throw new UsageError(`--loss-n: the sweep has no N = ${opts.lossN}; choose one of ${manifest.spec.n.join(', ')}`);
  }
  const cells = await readSweep(store, manifest);
  const analysis = analyze(manifest, cells);
  const failures = await store.getFailures(sweepId);
  const paths: ReportPaths = {
    dir: outDir,
    analysis: join(outDir, 'analysis.json'),
    csv: join(outDir, 'results.csv'),
    html: join(outDir, 'report.html'),
    figures: [],
  };
  await writeFileAtomic(paths.analysis, `${JSON.stringify(analysis, null, 2)}\n`);
  await writeFileAtomic(paths.csv, (function* () {
    for (const line of csvLines(sweepId, manifest.spec, cells)) yield `${line}\n`;
  })());
  const figures = [];
  for (const f of reportFigures(analysis, opts.lossN)) {
    const svg = await renderSvg(f.spec);
    const path = join(outDir, 'figures', `${f.name}.svg`);
    await writeFileAtomic(path, svg);
    paths.figures.push(path);
    figures.push({ name: f.name, caption: f.caption, svg });
  }
  await writeFileAtomic(paths.html, reportHtml({ analysis, figures, failures, partial: opts.partial ?? false }));
  return { analysis, paths };
}
