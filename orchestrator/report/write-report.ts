/** Reads a sweep back from its store and writes analysis.json, results.csv, the SVGs and report.html. */
import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import pLimit from 'p-limit';
import type { TaskResult } from '../../functions/trainer/task.js';
import type { Analysis } from '../analysis/analyze.js';
import { analyze } from '../analysis/analyze.js';
import type { Manifest, ResultStore } from '../store/result-store.js';
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
  const manifest = await store.getManifest(sweepId);
  if (!manifest) throw new UnknownSweepError(store, sweepId, await store.listSweeps());
  return manifest;
}

/** Every stored result of the sweep, in manifest order, read with bounded concurrency. */
export async function collectResults(store: ResultStore, manifest: Manifest, concurrency = 64): Promise<TaskResult[]> {
  const have = await store.listResultIds(manifest.sweepId);
  const limit = pLimit(concurrency);
  const ids = manifest.taskIds.filter((id) => have.has(id));
  return Promise.all(ids.map((id) => limit(() => store.getResult(manifest.sweepId, id))));
}

export interface ReportPaths {
  dir: string;
  analysis: string;
  csv: string;
  html: string;
  figures: string[];
}

export async function writeReport(
  store: ResultStore,
  sweepId: string,
  outDir: string,
  opts: { lossN?: number } = {},
): Promise<{ analysis: Analysis; paths: ReportPaths }> {
  const manifest = await loadManifest(store, sweepId);
  const results = await collectResults(store, manifest);
  const analysis = analyze(manifest, results);
  const failures = await store.getFailures(sweepId);
  await mkdir(join(outDir, 'figures'), { recursive: true });
  const paths: ReportPaths = {
    dir: outDir,
    analysis: join(outDir, 'analysis.json'),
    csv: join(outDir, 'results.csv'),
    html: join(outDir, 'report.html'),
    figures: [],
  };
  await writeFile(paths.analysis, `${JSON.stringify(analysis, null, 2)}\n`);
  const csv = createWriteStream(paths.csv);
  for (const line of csvLines(sweepId, results)) if (!csv.write(`${line}\n`)) await once(csv, 'drain');
  csv.end();
  await once(csv, 'finish');
  const figures = [];
  for (const f of reportFigures(analysis, opts.lossN)) {
    const svg = await renderSvg(f.spec);
    const path = join(outDir, 'figures', `${f.name}.svg`);
    await writeFile(path, svg);
    paths.figures.push(path);
    figures.push({ name: f.name, caption: f.caption, svg });
  }
  await writeFile(paths.html, reportHtml({ analysis, figures, failures }));
  return { analysis, paths };
}
