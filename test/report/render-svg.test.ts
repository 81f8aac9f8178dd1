import { describe, expect, it } from 'vitest';
import { renderSvg, renumberSvgIds } from '../../orchestrator/report/render-svg.js';

const clipped = {
  data: { values: [{ x: 1, y: 2 }, { x: 2, y: 3 }] },
  mark: { type: 'line', clip: true },
  encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } },
};

describe('renderSvg', () => {
  it('gives a figure the same bytes whatever the process drew before it (vega counts clip ids per process)', async () => {
    const first = await renderSvg(clipped);
    await renderSvg({ ...clipped, title: 'another figure in between' });
    expect(await renderSvg(clipped)).toBe(first);
    expect(first).toContain('id="clip1"');
  });

  it('numbers ids per kind in order of first use, and keeps each reference pointing at its definition', () => {
    const svg = '<clipPath id="clip7"/><g clip-path="url(#clip7)"/><clipPath id="clip9"/><g clip-path="url(#clip9)"/><linearGradient id="gradient4"/><rect fill="url(#gradient4)"/><text>clip12</text>';
    expect(renumberSvgIds(svg)).toBe(
      '<clipPath id="clip1"/><g clip-path="url(#clip1)"/><clipPath id="clip2"/><g clip-path="url(#clip2)"/><linearGradient id="gradient1"/><rect fill="url(#gradient1)"/><text>clip12</text>',
    );
  });
});
