/**
 * report.html: one self-contained page — the answer in words, the figures, the tables, what each
 * term means, the protocol and where the numbers came from. It fits a phone-wide window, prints on
 * A4, and while a run is going says so and reloads itself.
 */
import type { Analysis, GroupAnalysis } from '../analysis/analysis-types.js';
import type { LineFit } from '../analysis/stats.js';
import type { FailureRecord } from '../store/result-store.js';
import { answerText } from './answer.js';
import type { MissingAtN } from './completeness.js';
import { slopeText } from './figures.js';
import { lambdasText, resolutionText } from './lambdas-text.js';
import type { LiveStatus } from './live-status.js';
import { esc } from './escape-html.js';

const e = (v: number | null) => (v === null ? '—' : v.toExponential(2));
/** Seconds between reloads of a page whose run is still going. */
const RELOAD_SECONDS = 10;
/** A running page not rewritten for this long stops reloading and says its run may be gone (killed). */
const STALE_MINUTES = 15;

export interface HtmlInput {
  analysis: Analysis;
  figures: { name: string; caption: string; svg: string }[];
  failures: FailureRecord[];
  /** The run was interrupted: the page says it covers what was stored. */
  partial: boolean;
  /** The N with cells still incomplete. */
  missing: readonly MissingAtN[];
  /** The run, when the report is written while (or right after) it runs. */
  live?: LiveStatus;
  /** The provenance section, already rendered. */
  provenanceHtml?: string;
}

/** "3 failed: 2 timeout, 1 crash" (tasks without a class, from a local run, count as "other"). */
export function failureClasses(failures: readonly FailureRecord[]): string {
  const counts = new Map<string, number>();
  for (const f of failures) counts.set(f.kind ?? 'other', (counts.get(f.kind ?? 'other') ?? 0) + 1);
  return `${failures.length} failed: ${[...counts].map(([k, n]) => `${n} ${k}`).join(', ')}`;
}

const STYLE = `
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;max-width:1100px;margin:1.5em auto;padding:0 1em;color:#222;overflow-wrap:break-word}
h1{font-size:1.5em;margin:.2em 0}h1 small{font-size:.55em;color:#666;font-weight:normal}h2{margin-top:1.4em;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:.5em 0;font-variant-numeric:tabular-nums}
td,th{border:1px solid #ccc;padding:2px 6px;text-align:right;white-space:nowrap}
th{background:#f4f4f4;white-space:normal;font-weight:600}
td.text,th.text{white-space:normal;text-align:left;overflow-wrap:anywhere}
.warn{color:#a40}.answer{font-size:1.05em;max-width:50em}
.status{background:#eef5ff;border:1px solid #9bc;padding:.4em .8em;margin:1em 0}
figure{margin:1.2em 0;max-width:100%}figure svg{display:block;width:100%;max-width:760px;height:auto}
figcaption{font-size:.9em;color:#444;max-width:50em}
dl.terms dt{font-weight:600}dl.terms dd{margin:0 0 .6em 1.2em;max-width:50em}
ul.slopes{padding-left:1.2em}
@media (max-width:640px){body{font-size:13px;padding:0 .5em;margin:.8em auto}td,th{padding:1px 3px}}
@media print{@page{size:A4;margin:15mm}body{max-width:none;margin:0;padding:0;font-size:10pt}
.status{display:none}figure,table,.answer{break-inside:avoid}h2,h3{break-after:avoid}a{color:inherit}}
`;

/**
 * Reloads a running page, unless it has not been rewritten for STALE_MINUTES: a run killed
 * outright (a second Ctrl-C, SIGKILL) cannot mark its page as ended, so the page does.
 */
const RELOADER = `<script>(() => {
const s = document.getElementById('live-status');
if (Date.now() - Date.parse(s.dataset.updated) > ${STALE_MINUTES * 60_000}) {
s.insertAdjacentHTML('beforeend', '<p class="warn">⚠ Not rewritten for over ${STALE_MINUTES} minutes: the run may have been killed (run the same command again to resume), or a rewrite is taking long. Reload to check.</p>');
} else setTimeout(() => location.reload(), ${RELOAD_SECONDS * 1000});
})();</script>`;

function liveSection(s: LiveStatus): string {
  const pct = s.pointsTotal > 0 ? ` (${Math.floor((100 * s.pointsDone) / s.pointsTotal)} %)` : '';
  const rate = s.ratePerSecond === null ? 'rate not yet known' : `${s.ratePerSecond.toFixed(1)} points/s`;
  const eta = s.etaSeconds === null ? 'ETA not yet known' : `ETA ${Math.ceil(s.etaSeconds)} s`;
  const cost = s.dollarsSoFar === undefined ? '' : ` · $${s.dollarsSoFar.toFixed(4)} billed so far`;
  const when = s.updatedAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
  const state = s.running ? 'Running' : 'Run finished';
  const reload = s.running ? `<p>The sweep is still running: this page reloads itself every ${RELOAD_SECONDS} s.</p>${RELOADER}` : '';
  return `<section id="live-status" class="status" data-running="${s.running}" data-updated="${esc(s.updatedAt)}"><p><strong>${state}</strong> · updated ${esc(when)} · round ${s.round}: ${s.pointsDone} of ${s.pointsTotal} points${pct} · ${rate} · ${eta} · ${s.failedTasks} failed task(s)${cost}</p>${reload}</section>`;
}

function partialSection(input: HtmlInput): string {
  const { analysis, missing, partial, live } = input;
  const c = analysis.cells;
  if (missing.length === 0 && !partial && !live?.running) return '';
  const why = live?.running
    ? 'the sweep is still running'
    : partial
      ? 'the run was stopped (run the same command again to resume; with a higher --max-cost if the budget stopped it)'
      : 'some cells are incomplete (failed tasks, or a run not yet finished)';
  const rows = missing
    .map((m) => `<tr><td>${m.n}</td><td>${m.incomplete} of ${m.cells}</td><td>${m.missingPoints ?? 'still searching'}</td></tr>`)
    .join('');
  const table = rows ? `<table><tr><th>N</th><th>cells incomplete</th><th>points missing</th></tr>${rows}</table>` : '';
  return `<section id="partial"><p class="warn">⚠ This report is partial: ${why}. ${c.incomplete.length} of ${c.planned} cells are incomplete; the numbers below use the ${c.complete} complete ones.</p>${table}</section>`;
}

/** "same as the first: …" when no N is left out, so the reader does not look for a difference. */
function withoutEdgesText(g: GroupAnalysis): string {
  if (g.edgeDominatedN.length === 0) return 'same as the first: no N has λ* on an edge for half or more of its seeds';
  return `${slopeText(g.slopeWithoutEdges)}, leaving out N = ${g.edgeDominatedN.join(', ')}`;
}

function groupSection(g: GroupAnalysis, adaptive: boolean): string {
  const edgeHead = adaptive ? '<th>at a bound</th>' : '<th>on an edge</th>';
  const rows = g.points
    .map((p) => `<tr><td>${p.n}</td><td>${e(p.meanLambdaStar)}</td><td>${e(p.semLambdaStar)}</td><td>${e(p.meanSubgridLambdaStar)}</td><td>${resolutionText(p.resolution)}</td><td>${p.seeds}</td><td>${adaptive ? p.boundCount : p.edgeCount}</td></tr>`)
    .join('');
  const fit = (f: LineFit | null) => esc(slopeText(f));
  return `<h3>${esc(g.label)}</h3>
<ul class="slopes"><li>fit to the mean λ* per N: ${fit(g.slope)}</li><li>fit to every (N, seed) λ*: ${fit(g.slopeAllPoints)}</li><li>without grid-edge N: ${esc(withoutEdgesText(g))}</li></ul>
${g.warnings.map((w) => `<p class="warn">⚠ ${esc(w)}</p>`).join('')}
<table><tr><th>N</th><th>mean λ*</th><th>SEM</th><th>sub-grid λ*</th><th>resolution</th><th>seeds</th>${edgeHead}</tr>${rows}</table>`;
}

function termsSection(adaptive: boolean): string {
  const terms: [string, string][] = [
    ['λ*', 'for one N and seed: the λ with the lowest validation loss among the λ evaluated (ties: the smaller λ). "Mean λ*" and its SEM (standard error of the mean) are over the seeds.'],
    ['sub-grid λ*', 'the vertex of the parabola through the validation loss at λ* and its two neighbours, against log λ: an estimate between evaluated λ. It is shown for comparison and enters no slope.'],
    ['resolution', 'the larger ratio between λ* and its nearest evaluated neighbours: ×2 means λ* is known to within a factor of 2. "—" when λ* is on an edge.'],
    ['slope', 'the least-squares fit of log₁₀(mean λ*) against log₁₀ N, with its 95 % confidence interval (Student t, N − 2 degrees of freedom): it needs 2 N, the interval 3. λ* ∝ 1/N means a slope of −1.'],
    ['fit to every (N, seed) λ*', 'the same fit to each seed\'s λ* instead of the means: more points, the same question.'],
    ['without grid-edge N', 'the first fit, leaving out each N where half or more of the seeds have λ* on an edge.'],
    ['on an edge', 'λ* is the smallest or largest λ evaluated for that seed: the optimum may lie beyond, so the value is a bound, not an estimate. Drawn as triangles in the λ*–N figure.'],
  ];
  if (adaptive) terms.push(['at a bound', 'an adaptive search ended with λ* on a bound of its search range: the optimum lies at or past the bound. Drawn as diamonds.']);
  return `<section id="terms"><h2>Terms</h2><dl class="terms">${terms.map(([t, d]) => `<dt>${esc(t)}</dt><dd>${esc(d)}</dd>`).join('')}</dl></section>`;
}

function failedSection(failures: readonly FailureRecord[]): string {
  if (failures.length === 0) return '';
  const rows = failures
    .map((f) => `<tr><td class="text">${esc(f.taskId)}</td><td class="text">${esc(f.cellId)}</td><td>${f.lambdas.length}</td><td>${f.attempts}</td><td class="text">${esc(f.kind ?? '')}</td><td class="text">${esc(f.message)}</td></tr>`)
    .join('');
  return `<section id="failed"><h2>Failed tasks</h2><p>${esc(failureClasses(failures))}</p><table><tr><th class="text">task</th><th class="text">cell</th><th>λ</th><th>attempts</th><th class="text">class</th><th class="text">error</th></tr>${rows}</table></section>`;
}

export function reportHtml(input: HtmlInput): string {
  const { analysis, figures, failures, live } = input;
  const adaptive = analysis.lambdas.mode === 'adaptive';
  const protocolRows = Object.entries(analysis.protocol)
    .map(([k, v]) => `<tr><th class="text">${esc(k)}</th><td class="text">${esc((v as unknown[]).join(', '))}</td></tr>`)
    .join('');
  const answers = analysis.groups.map((g) => `<p class="answer" data-group="${esc(g.label)}">${esc(answerText(g))}</p>`).join('\n');
  const figs = figures.map((f) => `<figure data-figure="${esc(f.name)}">${f.svg}<figcaption>${esc(f.caption)}</figcaption></figure>`).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>lambdastar · ${esc(analysis.name ?? analysis.sweepId)}</title><style>${STYLE}</style></head>
<body><h1>λ* sweep ${esc(analysis.name ?? '')} <small>${esc(analysis.sweepId)}</small></h1>
<p>${analysis.cells.complete} of ${analysis.cells.planned} cells · ${analysis.points} points · ${(analysis.work / 1e9).toFixed(3)} G λ-pattern-epochs · trainer ${esc(analysis.trainerVersion)} · ${esc(lambdasText(analysis))}</p>
${live ? liveSection(live) : ''}${partialSection(input)}
<section id="answer"><h2>Is λ* ∝ 1/N?</h2>
${answers || '<p class="answer">No cell is complete yet: no answer so far.</p>'}
</section>
<section id="figures"><h2>Figures</h2>
${figs}
</section>
<section id="tables"><h2>λ* per N</h2>
${analysis.groups.map((g) => groupSection(g, adaptive)).join('\n')}
</section>
${termsSection(adaptive)}
<section id="protocol"><h2>Protocol</h2><table>${protocolRows}</table></section>
${input.provenanceHtml ?? ''}
${failedSection(failures)}
</body></html>
`;
}
