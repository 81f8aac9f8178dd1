import { describe, expect, test } from 'vitest';
import { PRINT_ZOOM, renderPng } from '../../orchestrator/report/render-png.js';
import { renderSvg } from '../../orchestrator/report/render-svg.js';

/** Width and height from a PNG's IHDR chunk. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe('figures as PNG', () => {
  test('a rendered figure becomes a PNG at 300 dpi of its size, with ink on it', async () => {
    const svg = await renderSvg({
      width: 200, height: 100,
      data: { values: [{ x: 1, y: 1 }, { x: 2, y: 3 }] },
      mark: 'line',
      encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } },
    });
    const [, w, h] = /width="(\d+)" height="(\d+)"/.exec(svg) ?? [];
    const png = renderPng(svg);
    expect(pngSize(png)).toEqual({ width: Math.round(Number(w) * PRINT_ZOOM), height: Math.round(Number(h) * PRINT_ZOOM) });
    // A blank white image compresses to almost nothing; axes and a line do not.
    expect(png.length).toBeGreaterThan(5000);
  });
});
