/** Renders a vega-lite spec to an SVG string in Node (no browser, no canvas). */
import * as vega from 'vega';
import { compile } from 'vega-lite';
import type { VegaLiteSpec } from './figures.js';

export async function renderSvg(spec: VegaLiteSpec): Promise<string> {
  const full = { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', background: 'white', ...spec };
  const view = new vega.View(vega.parse(compile(full as Parameters<typeof compile>[0]).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
