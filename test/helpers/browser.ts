/**
 * A headless Chromium for tests that look at a page the way a reader does: find an installed
 * browser, open a local file at a given width, save a screenshot, and measure horizontal overflow.
 */
import { accessSync, constants, mkdirSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'puppeteer-core';
import puppeteer from 'puppeteer-core';

/** Where screenshots go (git-ignored). */
export const ARTIFACTS = resolve('test-artifacts');

export const INSTALL_HINT = 'install one (Debian/Ubuntu: apt-get install -y chromium) or point LAMBDASTAR_CHROMIUM at a Chromium or Chrome executable';

const NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

const executable = (path: string) => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/**
 * The Chromium to use: LAMBDASTAR_CHROMIUM, else the first of chromium, chromium-browser,
 * google-chrome on PATH or in /usr/bin; null when there is none. A LAMBDASTAR_CHROMIUM that is not
 * an executable throws: the user asked for that browser.
 */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | null {
  const chosen = env.LAMBDASTAR_CHROMIUM;
  if (chosen) {
    if (!executable(chosen)) throw new Error(`LAMBDASTAR_CHROMIUM=${chosen} is not an executable file`);
    return chosen;
  }
  const dirs = [...(env.PATH ?? '').split(delimiter).filter(Boolean), '/usr/bin'];
  for (const name of NAMES) {
    for (const dir of dirs) if (executable(join(dir, name))) return join(dir, name);
  }
  return null;
}

/** Headless, without the sandbox (CI runs as root, which the sandbox refuses) and without a GPU. */
export function launchBrowser(executablePath: string): Promise<Browser> {
  return puppeteer.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
}

/** A new page showing the file `path` in a viewport `width` px wide, once it has loaded. */
export async function openFile(browser: Browser, path: string, width: number, height = 1000): Promise<Page> {
  const page = await browser.newPage();
  await page.setViewport({ width, height });
  await page.goto(pathToFileURL(path).href, { waitUntil: 'load' });
  return page;
}

/** Saves the whole page to test-artifacts/<name>.png; returns the path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`) as `${string}.png`;
  await page.screenshot({ path, fullPage: true });
  return path;
}

export interface Overflow {
  /** The page scrolls sideways: the document is wider than the viewport. */
  scrolls: boolean;
  scrollWidth: number;
  clientWidth: number;
  /** The outermost elements whose right edge is past the viewport, e.g. `svg in figure[data-figure=x] right 812 px (width 790)`. */
  offenders: string[];
}

/**
 * How the page overflows its viewport sideways. An element inside a box that scrolls sideways and
 * itself fits (a wide table in an `overflow-x: auto` wrapper) does not count: the page still fits.
 */
export function horizontalOverflow(page: Page): Promise<Overflow> {
  return page.evaluate(() => {
    const w = globalThis as unknown as InPage;
    const root = w.document.documentElement;
    const limit = root.clientWidth + 0.5;
    const fits = (el: DomElement) => el.getBoundingClientRect().right <= limit;
    const scrollsSideways = (el: DomElement) => ['auto', 'scroll'].includes(w.getComputedStyle(el).overflowX);
    const insideScroller = (el: DomElement) => {
      for (let a = el.parentElement; a && a !== w.document.body; a = a.parentElement) {
        if (scrollsSideways(a) && fits(a)) return true;
      }
      return false;
    };
    const describe = (el: DomElement) => {
      const r = el.getBoundingClientRect();
      const id = el.id ? `#${el.id}` : '';
      const cls = el.getAttribute('class') ? `.${el.getAttribute('class')!.trim().split(/\s+/).join('.')}` : '';
      const fig = el.getAttribute('data-figure') ? `[data-figure=${el.getAttribute('data-figure')}]` : '';
      const home = el.parentElement?.closest('[data-figure], [id]');
      const inside = home ? ` in ${home.tagName.toLowerCase()}${home.id ? `#${home.id}` : `[data-figure=${home.getAttribute('data-figure')}]`}` : '';
      return `${el.tagName.toLowerCase()}${id}${cls}${fig}${inside} right ${Math.round(r.right)} px (width ${Math.round(r.width)})`;
    };
    const offending = new Set<DomElement>();
    const offenders: string[] = [];
    for (const el of w.document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if ((r.width === 0 && r.height === 0) || fits(el) || insideScroller(el)) continue;
      offending.add(el);
      if (!el.parentElement || !offending.has(el.parentElement)) offenders.push(describe(el));
    }
    return { scrolls: root.scrollWidth > root.clientWidth, scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, offenders };
  });
}

/**
 * The few DOM types the in-page functions use (the project compiles without lib.dom). They exist
 * only for the type checker: `page.evaluate` runs the function's source in the browser.
 */
export interface DomRect {
  left: number;
  right: number;
  top: number;
  bottom: number;
  width: number;
  height: number;
}

export interface DomElement {
  tagName: string;
  id: string;
  textContent: string | null;
  parentElement: DomElement | null;
  getAttribute(name: string): string | null;
  getBoundingClientRect(): DomRect;
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): Iterable<DomElement> & { length: number };
  closest(selector: string): DomElement | null;
  /** SVG graphics elements only. */
  getBBox?(): { width: number; height: number };
}

export interface InPage {
  document: { documentElement: DomElement & { clientWidth: number; scrollWidth: number }; body: DomElement } & Pick<DomElement, 'querySelector' | 'querySelectorAll'>;
  getComputedStyle(el: DomElement): { overflowX: string };
}
