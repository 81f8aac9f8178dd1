/** report.html: one self-contained page with the tables, warnings and inline SVG figures. */
import type { Analysis } from '../analysis/analysis-types.js';
import type { FailureRecord } from '../store/result-store.js';
import { slopeText } from './figures.js';
import { lambdasText, resolutionText } from './lambdas-text.js';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const e = (v: number | null) => (v === null ? '—' : v.toExponential(2));

export interface HtmlInput {
  analysis: Analysis;
  figures: { name: string; caption: string; svg: string }[];
  failures: FailureRecord[];
  /** The run was interrupted: the page says it covers what was stored. */
  partial: boolean;
}

/** "3 failed: 2 timeout, 1 crash" (tasks without a class, from a local run, count as "other"). */
export function failureClasses(failures: readonly FailureRecord[]): string {
  const counts = new Map<string, number>();
  for (const f of failures) counts.set(f.kind ?? 'other', (counts.get(f.kind ?? 'other') ?? 0) + 1);
  return `${failures.length} failed: ${[...counts].map(([k, n]) => `${n} ${k}`).join(', ')}`;
}

export function reportHtml({ analysis, figures, failures, partial }: HtmlInput): string {
  const protocolRows = Object.entries(analysis.protocol)
    .map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc((v as unknown[]).join(', '))}</td></tr>`)
    .join('');
  const groups = analysis.groups
    .map((g) => {
      const rows = g.points
        .map((p) => `<tr><td>${p.n}</td><td>${e(p.meanLambdaStar)}</td><td>${e(p.semLambdaStar)}</td><td>${e(p.meanSubgridLambdaStar)}</td><td>${resolutionText(p.resolution)}</td><td>${p.seeds}</td><td>${p.edgeCount}</td><td>${p.boundCount}</td></tr>`)
        .join('');
      const warnings = g.warnings.map((w) => `<p class="warn">⚠ ${esc(w)}</p>`).join('');
      return `<h3>${esc(g.label)}</h3>
<p>log-log ${esc(slopeText(g.slope))} · all (N, seed) points: ${esc(slopeText(g.slopeAllPoints))} · without grid-edge N: ${esc(slopeText(g.slopeWithoutEdges))}</p>${warnings}
<table><tr><th>N</th><th>mean λ*</th><th>SEM</th><th>sub-grid λ*</th><th>resolution</th><th>seeds</th><th>on an edge</th><th>at a bound</th></tr>${rows}</table>`;
    })
    .join('\n');
  const failed = failures.length
    ? `<h2>Failed tasks</h2><p>${esc(failureClasses(failures))}</p><table><tr><th>task</th><th>cell</th><th>λ</th><th>attempts</th><th>class</th><th>error</th></tr>${failures
        .map((f) => `<tr><td>${esc(f.taskId)}</td><td>${esc(f.cellId)}</td><td>${f.lambdas.length}</td><td>${f.attempts}</td><td>${esc(f.kind ?? '')}</td><td>${esc(f.message)}</td></tr>`)
        .join('')}</table>`
    : '';
  const c = analysis.cells;
  const missing = c.incomplete.length
    ? `<p class="warn">⚠ ${c.incomplete.length} of ${c.planned} cells are incomplete (points missing); the numbers below use the ${c.complete} complete ones.</p>`
    : '';
  const interrupted = partial ? '<p class="warn">⚠ The run was interrupted: this report covers what was stored by then. Run the sweep again to resume.</p>' : '';
  const figs = figures.map((f) => `<figure>${f.svg}<figcaption>${esc(f.caption)}</figcaption></figure>`).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>lambdastar · ${esc(analysis.name ?? analysis.sweepId)}</title>
<style>body{font:14px/1.45 system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em}table{border-collapse:collapse;margin:.5em 0}
td,th{border:1px solid #ccc;padding:2px 8px;text-align:right}th{background:#f4f4f4}.warn{color:#a40}figure{display:inline-block;margin:1em}</style></head>
<body><h1>λ* sweep ${esc(analysis.name ?? '')} <small>${esc(analysis.sweepId)}</small></h1>
<p>${c.complete} of ${c.planned} cells · ${analysis.points} points · ${(analysis.work / 1e9).toFixed(3)} G λ-pattern-epochs · trainer ${esc(analysis.trainerVersion)} · ${esc(lambdasText(analysis))}</p>
${interrupted}${missing}
<h2>Protocol</h2><table>${protocolRows}</table>
<h2>λ* and slopes</h2>
${groups}
<h2>Figures</h2>
${figs}
${failed}
</body></html>
`;
}
