/** Renders a vega-lite spec to an SVG string in Node (no browser, no canvas). */
import * as vega from 'vega';
import { compile } from 'vega-lite';
import type { VegaLiteSpec } from './figures.js';

/**
 * Vega numbers clip paths (and gradients, patterns) with a counter global to the process: numbered
 * afresh in each SVG, a figure has the same bytes whatever was drawn before it in the process.
 */
export function renumberSvgIds(svg: string): string {
  const ids = new Map<string, string>();
  const counts = new Map<string, number>();
  return svg.replace(/(id="|url\(#)(clip|gradient|pattern)(\d+)/g, (_, lead: string, kind: string, n: string) => {
    const key = kind + n;
    let id = ids.get(key);
    if (id === undefined) {
      const next = (counts.get(kind) ?? 0) + 1;
      counts.set(kind, next);
      id = `${kind}${next}`;
      ids.set(key, id);
    }
    return lead + id;
  });
}

export async function renderSvg(spec: VegaLiteSpec): Promise<string> {
  const full = { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', background: 'white', ...spec };
  const view = new vega.View(vega.parse(compile(full as Parameters<typeof compile>[0]).spec), { renderer: 'none' });
  try {
    return renumberSvgIds(await view.toSVG());
  } finally {
    view.finalize();
  }
}
