/** Writes a stored sweep's analysis.json, results.csv, the SVGs and report.html. */
import { reportFiles } from '../../functions/keys.js';
import type { Analysis } from '../analysis/analysis-types.js';
import { analyze } from '../analysis/analyze.js';
import { UsageError } from '../errors.js';
import { writeFileAtomic } from '../fs/atomic-file.js';
import type { ResultStore } from '../store/result-store.js';
import { loadManifest, readSweep } from '../sweep/load-sweep.js';
import { missingByN } from './completeness.js';
import { csvLines } from './csv.js';
import { reportFigures } from './figures.js';
import { reportHtml } from './html.js';
import type { LiveStatus } from './live-status.js';
import { ProvenanceTally, provenanceHtml } from './provenance.js';
import { renderSvg } from './render-svg.js';

export interface ReportPaths {
  dir: string;
  analysis: string;
  csv: string;
  html: string;
  figures: string[];
  /** PNG copies of the figures, when asked for. */
  pngs: string[];
}

export interface ReportOptions {
  /** The N of the loss-against-λ figure (default: the largest). */
  lossN?: number;
  /** The run that wrote it was interrupted: the report says it covers what was stored. */
  partial?: boolean;
  /** Written while the sweep runs (or just after): the page shows the run's progress. */
  live?: LiveStatus;
  /** Also write each figure as a 300 dpi PNG next to its SVG. */
  png?: boolean;
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
  const provenance = new ProvenanceTally();
  const cells = await readSweep(store, manifest, { provenance });
  const analysis = analyze(manifest, cells);
  const failures = await store.getFailures(sweepId);
  const files = reportFiles(outDir);
  const paths: ReportPaths = { dir: outDir, analysis: files.analysis, csv: files.csv, html: files.html, figures: [], pngs: [] };
  await writeFileAtomic(paths.analysis, `${JSON.stringify(analysis, null, 2)}\n`);
  await writeFileAtomic(paths.csv, (function* () {
    for (const line of csvLines(sweepId, manifest.spec, cells)) yield `${line}\n`;
  })());
  // A native renderer: loaded only when PNGs are asked for.
  const png = opts.png ? await import('./render-png.js') : undefined;
  const figures = [];
  for (const f of reportFigures(analysis, opts.lossN)) {
    const svg = await renderSvg(f.spec);
    const path = files.figure(f.name);
    await writeFileAtomic(path, svg);
    paths.figures.push(path);
    if (png) {
      const pngPath = path.replace(/\.svg$/, '.png');
      await writeFileAtomic(pngPath, png.renderPng(svg));
      paths.pngs.push(pngPath);
    }
    figures.push({ name: f.name, caption: f.caption, svg });
  }
  await writeFileAtomic(paths.html, reportHtml({ analysis, figures, failures, partial: opts.partial ?? false, missing: missingByN(manifest.spec, cells), live: opts.live,
    provenanceHtml: provenanceHtml(provenance) }));
  return { analysis, paths };
}
