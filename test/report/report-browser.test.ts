/**
 * Issue #10's acceptance test: a real report of a small sweep, opened in headless Chromium at a
 * desktop and a phone width. Skipped, saying why, only where no browser can be found.
 */
import { existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Analysis } from '../../orchestrator/analysis/analysis-types.js';
import { WorkerPoolExecutor } from '../../orchestrator/executors/worker-pool.js';
import { poolWorkerUrl } from '../../orchestrator/paths.js';
import { reportHtml } from '../../orchestrator/report/html.js';
import { writeReport } from '../../orchestrator/report/write-report.js';
import { canonicalize, specSchema } from '../../orchestrator/spec/spec-schema.js';
import { openStore } from '../../orchestrator/store/open-store.js';
import { runSweep } from '../../orchestrator/sweep/run-sweep.js';
import type { DomElement, InPage } from '../helpers/browser.js';
import { ARTIFACTS, findChromium, horizontalOverflow, INSTALL_HINT, launchBrowser, openFile, screenshot } from '../helpers/browser.js';

const chromium = findChromium();
if (!chromium) console.warn(`Skipping the report's browser test (test/report/report-browser.test.ts): no Chromium found; ${INSTALL_HINT}.`);

const WIDTHS = [1400, 500];

/**
 * Three N, two seeds, two init factors (two groups, so two colours), and a λ grid whose top is too
 * small for the smallest N: its λ* sits on the grid's high edge. About a second of training.
 */
const SPEC = { name: 'browser', n: [20, 60, 180], lambdas: [4e-3, 1.6e-2, 6.4e-2, 0.256], seeds: 2, initFactors: [0.5, 2], epochs: 300, valSize: 500 };

interface FigureProbe {
  name: string;
  svgs: number;
  width: number;
  height: number;
  /** Data marks (path, circle) with a non-empty bounding box. */
  marks: number;
  /** The trimmed text of every SVG `<text>`. */
  texts: string[];
}

interface PageProbe {
  answerSections: number;
  answers: string[];
  figures: FigureProbe[];
  /** Inline SVGs that are not inside a `<figure data-figure>`. */
  strayFigures: number;
}

/** What the contract checks, read from the page in one pass. */
function probe(page: Page): Promise<PageProbe> {
  return page.evaluate(() => {
    const d = (globalThis as unknown as InPage).document;
    const drawn = (el: DomElement) => {
      const b = el.getBBox?.();
      return b !== undefined && (b.width > 0 || b.height > 0);
    };
    const figure = (f: DomElement): FigureProbe => {
      const svg = f.querySelector('svg');
      const r = svg?.getBoundingClientRect();
      // vega groups data marks under `.role-mark`; without it, any shape but a background counts.
      const shapes = svg?.querySelector('.role-mark') ? '.role-mark path, .role-mark circle' : 'path:not(.background), circle';
      return {
        name: f.getAttribute('data-figure') ?? '',
        svgs: f.querySelectorAll('svg').length,
        width: r?.width ?? 0,
        height: r?.height ?? 0,
        marks: svg ? [...svg.querySelectorAll(shapes)].filter(drawn).length : 0,
        texts: svg ? [...svg.querySelectorAll('text')].map((t) => (t.textContent ?? '').trim()) : [],
      };
    };
    return {
      answerSections: d.querySelectorAll('section#answer').length,
      answers: [...d.querySelectorAll('section#answer p.answer')].map((p) => (p.textContent ?? '').trim()),
      figures: [...d.querySelectorAll('figure[data-figure]')].map(figure),
      strayFigures: [...d.querySelectorAll('svg')].filter((s) => !s.parentElement?.closest('figure[data-figure]')).length,
    };
  });
}

describe.skipIf(!chromium)('report.html in a browser (issue #10)', () => {
  let browser: Browser | undefined;
  let analysis: Analysis;
  let html: string;
  const pages = new Map<number, Page>();
  const probes = new Map<number, PageProbe>();
  const shots = new Map<number, string>();

  beforeAll(async () => {
    const store = openStore(mkdtempSync(join(tmpdir(), 'lambdastar-browser-')));
    const pool = new WorkerPoolExecutor({ concurrency: 2, workerUrl: poolWorkerUrl() });
    try {
      const summary = await runSweep({ spec: canonicalize(specSchema.parse(SPEC)), store, executor: pool });
      // Kept beside the screenshots, to open by hand when a check fails.
      const report = await writeReport(store, summary.sweepId, join(ARTIFACTS, 'report'));
      analysis = report.analysis;
      html = report.paths.html;
    } finally {
      await pool.close();
    }
    browser = await launchBrowser(chromium!);
    for (const width of WIDTHS) {
      const page = await openFile(browser, html, width);
      pages.set(width, page);
      probes.set(width, await probe(page));
      shots.set(width, await screenshot(page, `report-${width}`));
    }
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('the sweep behind the page has two groups, three N and a λ* on a grid edge', () => {
    expect(analysis.groups.map((g) => g.label), 'one group per init factor').toHaveLength(2);
    for (const g of analysis.groups) expect(g.points.map((p) => p.n)).toEqual(SPEC.n);
    const onEdge = analysis.groups.flatMap((g) => g.points).filter((p) => p.edgeCount > 0);
    expect(onEdge.length, 'no N has its λ* on a grid edge: the spec no longer exercises the edge markers').toBeGreaterThan(0);
  });

  it.each(WIDTHS)('a full-page screenshot at %i px is saved to test-artifacts/', (width) => {
    const path = shots.get(width)!;
    expect(path).toBe(join(ARTIFACTS, `report-${width}.png`));
    expect(existsSync(path) && statSync(path).size > 0, `${path} is missing or empty`).toBe(true);
  });

  it('the answer comes first: <section id="answer"> holds one <p class="answer"> per group stating the power law', () => {
    const p = probes.get(1400)!;
    expect(p.answerSections, 'the page has no <section id="answer">').toBe(1);
    expect(p.answers, `expected one <p class="answer"> per group (${analysis.groups.length})`).toHaveLength(analysis.groups.length);
    for (const a of p.answers) expect(a, 'an answer states neither "N^…" nor a slope').toMatch(/N\^|slope/);
  });

  it('every inline SVG is inside a <figure data-figure="NAME">', () => {
    const p = probes.get(1400)!;
    expect(p.figures.length, 'the page has no <figure data-figure>').toBeGreaterThan(0);
    expect(p.strayFigures, 'inline SVGs outside any <figure data-figure>').toBe(0);
    for (const f of p.figures) expect(f.svgs, `figure "${f.name}" holds ${f.svgs} inline SVGs, not 1`).toBe(1);
  });

  it.each(WIDTHS)('at %i px every figure is drawn: a visible SVG (over 50 × 50 px) with data marks', (width) => {
    const p = probes.get(width)!;
    expect(p.figures.length, 'the page has no <figure data-figure>').toBeGreaterThan(0);
    for (const f of p.figures) {
      expect(f.width, `figure "${f.name}": SVG width ${f.width} px`).toBeGreaterThan(50);
      expect(f.height, `figure "${f.name}": SVG height ${f.height} px`).toBeGreaterThan(50);
      expect(f.marks, `figure "${f.name}": no path or circle mark with a non-empty shape`).toBeGreaterThan(0);
    }
  });

  it('the log-log λ*–N figure shows the λ ∝ 1/N reference and a "grid edge" legend entry', () => {
    const f = probes.get(1400)!.figures.find((x) => x.name === 'lambda-star-loglog');
    expect(f, 'no <figure data-figure="lambda-star-loglog">').toBeDefined();
    const text = f!.texts.join(' | ');
    expect(text, 'no "1/N" label for the dashed λ ∝ 1/N reference').toContain('1/N');
    expect(text, 'this sweep has λ* on a grid edge, but the figure has no "grid edge" legend entry').toContain('grid edge');
  });

  it('the loss figure has one panel per N, titled "N = <n>", each marking λ* with a "λ*…" label', () => {
    const f = probes.get(1400)!.figures.find((x) => x.name === 'loss-vs-lambda');
    expect(f, 'no <figure data-figure="loss-vs-lambda">').toBeDefined();
    const titles = f!.texts.filter((t) => /^N = \d+/.test(t));
    const titled = [...new Set(titles.map((t) => Number(/^N = (\d+)/.exec(t)![1])))].sort((a, b) => a - b);
    expect(titled, 'panel titles "N = <n>": one panel per N of the sweep').toEqual(SPEC.n);
    const stars = f!.texts.filter((t) => t.startsWith('λ*'));
    expect(stars.length, `${stars.length} "λ*…" labels for ${titles.length} panels`).toBeGreaterThanOrEqual(titles.length);
  });

  it('the provenance section says the local worker bundle produced every result', async () => {
    const text = await pages.get(1400)!.evaluate(() => (globalThis as unknown as InPage).document.querySelector('#provenance')?.textContent ?? '');
    expect(text, 'no <section id="provenance">').not.toBe('');
    const results = analysis.points / SPEC.lambdas.length;
    expect(text).toMatch(new RegExp(`One trainer bundle \\(pool-worker\\.mjs [0-9a-f]{12}\\) produced all ${results} results`));
    expect(text).toContain(`Source 1 of 1: ${results} results`);
  });

  it('a running page reloads itself; one not rewritten for long (its run killed) stops and says so', async () => {
    const page = (updatedAt: string) => {
      const path = join(ARTIFACTS, `live-${updatedAt.slice(0, 10)}.html`);
      const live = { running: true, updatedAt, round: 1, pointsDone: 1, pointsTotal: 2, ratePerSecond: 1, etaSeconds: 1, failedTasks: 0 };
      writeFileSync(path, reportHtml({ analysis, figures: [], failures: [], partial: false, missing: [], live }));
      return path;
    };
    const stale = await openFile(browser!, page('2020-01-01T00:00:00.000Z'), 1400);
    const text = await stale.evaluate(() => (globalThis as unknown as InPage).document.querySelector('#live-status')?.textContent ?? '');
    expect(text).toContain('Not rewritten for over 15 minutes: the run may have been killed');
    const fresh = await openFile(browser!, page(new Date().toISOString()), 1400);
    // The reload is an event to wait for (it comes after 10 s), not a time to measure.
    await fresh.waitForNavigation({ timeout: 120_000 });
    await Promise.all([stale.close(), fresh.close()]);
  });

  it.each(WIDTHS)('at %i px the page fits its width: nothing overflows sideways', async (width) => {
    const o = await horizontalOverflow(pages.get(width)!);
    const detail = `scrollWidth ${o.scrollWidth} > clientWidth ${o.clientWidth}; past the right edge: ${o.offenders.join('; ') || 'none found'}`;
    expect(o.scrolls, `the page scrolls sideways at ${width} px (${detail})`).toBe(false);
    expect(o.offenders, `elements past the right edge at ${width} px`).toEqual([]);
    for (const f of probes.get(width)!.figures) {
      expect(f.width, `figure "${f.name}" is wider than the ${o.clientWidth} px page: figures must scale down`).toBeLessThanOrEqual(o.clientWidth + 0.5);
    }
  });
});
