/**
 * What produced a sweep's numbers (pure): the stored results that hold its points, counted by
 * source — executor, trainer bundle and kernel, Node and platform — for the report and the terminal.
 */
import type { ExecutorInfo, Provenance } from '../../functions/provenance.js';
import type { TaskResult } from '../../functions/trainer/task.js';
import { esc } from './escape-html.js';

const UNKNOWN = 'unknown (written before provenance was recorded)';

/** Results from one source: everything of their provenance but the time, which spans first … last. */
export interface ProvenanceSource extends Omit<Provenance, 'at'> {
  trainerVersion: string;
  results: number;
  first: string;
  last: string;
}

/** 12 hex digits tell bundles apart and fit a narrow page. */
const short = (sha256: string) => sha256.slice(0, 12);
/** "2025-01-02 03:04:05Z": seconds are enough to tell runs apart, and the space lets a cell wrap. */
const time = (iso: string) => iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z');
const span = (s: ProvenanceSource) => (s.first === s.last ? time(s.first) : `${time(s.first)} – ${time(s.last)}`);

function executorText(e: ExecutorInfo): string {
  return e.kind === 'local' ? 'local' : `lambda ${e.functionName}:${e.functionVersion} · ${e.memoryMb} MB · ${e.region}`;
}

const bundleText = (b: Provenance['bundle']) => `${b.file} ${short(b.sha256)}`;
/** " · kernel wasm-simd", or nothing for a result stored before the kernel was recorded. */
const kernelText = (k: Provenance['kernel']) => (k ? ` · kernel ${k}` : '');
const runtimeText = (p: Omit<Provenance, 'at'>) => `Node ${p.node} · ${p.platform}/${p.arch}`;

/** One line: where a result was produced, or that it predates provenance. */
export function provenanceText(p: Provenance | null | undefined): string {
  if (!p) return UNKNOWN;
  return `${executorText(p.executor)} · bundle ${bundleText(p.bundle)}${kernelText(p.kernel)} · ${runtimeText(p)} · ${time(p.at)}`;
}

/** Counts stored results by source; add each result that holds a point of the sweep once. */
export class ProvenanceTally {
  private readonly bySource = new Map<string, ProvenanceSource>();
  /** Results stored before lambdastar recorded provenance. */
  unknown = 0;

  add(result: Pick<TaskResult, 'trainerVersion' | 'provenance'>): void {
    const p = result.provenance;
    if (!p) {
      this.unknown++;
      return;
    }
    const { at, ...rest } = p;
    const key = JSON.stringify([result.trainerVersion, p.bundle.sha256, p.bundle.file, p.kernel ?? null, p.node, p.platform, p.arch, executorText(p.executor)]);
    const known = this.bySource.get(key);
    if (!known) {
      this.bySource.set(key, { ...rest, trainerVersion: result.trainerVersion, results: 1, first: at, last: at });
      return;
    }
    known.results++;
    // Compared as instants: ISO texts of different precision do not sort as text.
    if (Date.parse(at) < Date.parse(known.first)) known.first = at;
    if (Date.parse(at) > Date.parse(known.last)) known.last = at;
  }

  /** The sources, most results first. */
  get sources(): ProvenanceSource[] {
    return [...this.bySource.values()].sort((a, b) => b.results - a.results || Date.parse(a.first) - Date.parse(b.first));
  }

  /** The distinct trainer bundles (by hash) that produced the results, most results first. */
  get bundles(): Provenance['bundle'][] {
    const out = new Map<string, Provenance['bundle']>();
    for (const s of this.sources) if (!out.has(s.bundle.sha256)) out.set(s.bundle.sha256, s.bundle);
    return [...out.values()];
  }
}

const recorded = (t: ProvenanceTally) => t.sources.reduce((n, s) => n + s.results, 0);

/**
 * The sentence on trainer bundles. The local worker, the CLI and the Lambda function are built as
 * different files, so several bundles are normal; a warning only when one file was built twice
 * (two builds of the same bundle, e.g. different releases, produced the numbers).
 */
function bundleSentence(t: ProvenanceTally): { text: string; warn: boolean } | undefined {
  const bundles = t.bundles;
  const n = recorded(t);
  if (bundles.length === 0) return undefined;
  if (bundles.length === 1) return { text: `One trainer bundle (${bundleText(bundles[0])}) produced all ${n} results that record their provenance.`, warn: false };
  const files = bundles.map((b) => b.file);
  const rebuilt = files.filter((f, i) => files.indexOf(f) !== i);
  const list = `${bundles.length} trainer bundles produced these ${n} results (${bundles.map(bundleText).join(', ')})`;
  if (rebuilt.length === 0) return { text: `${list}: one per kind of executor, as each is built on its own.`, warn: false };
  return {
    text: `${list}: ${[...new Set(rebuilt)].join(', ')} in more than one build. The numbers are only comparable if every build reproduces the others bit for bit; \`lambdastar verify\` re-trains a sample here to check.`,
    warn: true,
  };
}

const unknownText = (n: number) => `${n} result${n === 1 ? '' : 's'}: ${UNKNOWN}.`;

const cell = 'style="text-align:left;white-space:normal;overflow-wrap:anywhere;word-break:break-word"';
const head = 'style="text-align:left;width:6em;vertical-align:top"';

/** The report's provenance section, sized for a page 500 px wide. */
export function provenanceHtml(t: ProvenanceTally): string {
  const parts: string[] = [];
  const sources = t.sources;
  if (sources.length === 0 && t.unknown === 0) parts.push('<p>No stored result holds a point of this sweep yet.</p>');
  const bundles = bundleSentence(t);
  if (bundles) parts.push(bundles.warn ? `<p class="warn">⚠ ${esc(bundles.text)}</p>` : `<p>${esc(bundles.text)}</p>`);
  sources.forEach((s, i) => {
    const rows: [string, string][] = [
      ['executor', executorText(s.executor)],
      ['trainer', `${s.trainerVersion} · bundle ${bundleText(s.bundle)}${kernelText(s.kernel)}`],
      ['runtime', runtimeText(s)],
      ['produced', span(s)],
    ];
    const body = rows.map(([k, v]) => `<tr><th ${head}>${k}</th><td ${cell}>${esc(v)}</td></tr>`).join('');
    parts.push(`<table style="width:100%;max-width:500px;table-layout:fixed"><caption style="text-align:left">Source ${i + 1} of ${sources.length}: ${s.results} result${s.results === 1 ? '' : 's'}</caption>${body}</table>`);
  });
  if (t.unknown > 0) parts.push(`<p>${esc(unknownText(t.unknown))}</p>`);
  return `<section id="provenance"><h2>Provenance</h2>\n${parts.join('\n')}\n</section>`;
}
