/** SVG → PNG at print resolution, without a browser (resvg, a Rust renderer). */
import { Resvg } from '@resvg/resvg-js';

/** The figures are drawn at 96 px per inch; ×3.125 makes 300 dpi at the same physical size. */
export const PRINT_ZOOM = 300 / 96;

export function renderPng(svg: string): Buffer {
  const resvg = new Resvg(svg, { fitTo: { mode: 'zoom', value: PRINT_ZOOM }, background: 'white', font: { loadSystemFonts: true, defaultFontFamily: 'sans-serif' } });
  return resvg.render().asPng();
}
