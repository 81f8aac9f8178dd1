/** docs/reproduction/README.md from the analyses of the reproduced presets (pure). */
import type { Analysis } from '../orchestrator/analysis/analyze.js';

export const REPRODUCED_PRESETS = [
  'thesis-fig1', 'thesis-fig1-ext', 'thesis-fig2', 'thesis-fig2-ext', 'thesis-fig3', 'thesis-fig3-ext',
  'thesis-fig4', 'thesis-fig4-ext', 'protocol-sensitivity',
] as const;

export function reproductionReadme(analyses: Record<string, Analysis>): string {
  return `# Reproducing the thesis with lambdastar\n\n${Object.keys(analyses).join(', ')}\n`;
}
