/** The λ* table and slopes as plain text, for the terminal. */
import type { Analysis } from '../analysis/analysis-types.js';
import { answerText } from './answer.js';
import { slopeText } from './figures.js';
import { resolutionText } from './lambdas-text.js';

const e = (v: number | null) => (v === null ? '—' : v.toExponential(2));

export function summaryLines(analysis: Analysis): string[] {
  const out: string[] = [];
  for (const g of analysis.groups) {
    out.push(`${g.label}`);
    out.push(`  ${'N'.padStart(6)}  ${'mean λ*'.padStart(9)}  ${'SEM'.padStart(9)}  ${'sub-grid'.padStart(9)}  resolution  seeds  on edge  at bound`);
    for (const p of g.points) {
      out.push(
        `  ${String(p.n).padStart(6)}  ${e(p.meanLambdaStar).padStart(9)}  ${e(p.semLambdaStar).padStart(9)}  ` +
          `${e(p.meanSubgridLambdaStar).padStart(9)}  ${resolutionText(p.resolution).padStart(10)}  ${String(p.seeds).padStart(5)}  ` +
          `${String(p.edgeCount).padStart(7)}  ${String(p.boundCount).padStart(8)}`,
      );
    }
    const withoutEdges = g.edgeDominatedN.length > 0 ? `; without grid-edge N (${g.edgeDominatedN.join(', ')}): ${slopeText(g.slopeWithoutEdges)}` : '';
    out.push(`  log-log ${slopeText(g.slope)}; all points: ${slopeText(g.slopeAllPoints)}${withoutEdges}`);
    out.push(`  ${answerText(g)}`);
    for (const w of g.warnings) out.push(`  warning: ${w}`);
  }
  const c = analysis.cells;
  if (c.incomplete.length > 0) out.push(`${c.incomplete.length} of ${c.planned} cells are incomplete (failed, stopped or not yet run).`);
  return out;
}
