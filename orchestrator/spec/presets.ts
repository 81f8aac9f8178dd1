/** Named sweeps: `quick`, and the thesis' experiments (PROTOCOL §8–9) on both λ grids and searched adaptively. */
import type { SpecInput } from './spec-schema.js';
import { EXTENDED_LAMBDAS, INITIAL_N, LATER_N, THESIS_LAMBDAS } from './grids.js';

const thesis: Record<string, Omit<SpecInput, 'lambdas'>> = {
  'thesis-fig1': { description: 'Fig. 1: loss against λ at N = 3240, L2, factor 1', n: [3240] },
  'thesis-fig2': { description: 'Fig. 2: λ* against N on the initial N grid, L2, factor 1', n: INITIAL_N },
  'thesis-fig3': { description: 'Fig. 3: λ* against N on the later grid for init factors 0.1, 1, 10', n: LATER_N, initFactors: [0.1, 1, 10] },
  'thesis-fig4': { description: 'Fig. 4: λ* against N on the later grid, L1 against L2', n: LATER_N, regs: ['l1', 'l2'] },
};

export const PRESETS: Record<string, SpecInput> = {
  quick: {
    description: 'A real but small sweep: 6 N, the extended λ grid, 8 seeds, full protocol (~1 min on 2 cores)',
    n: [40, 80, 160, 320, 640, 1280],
    lambdas: EXTENDED_LAMBDAS,
    seeds: 8,
    valSize: 5000,
  },
};
/**
 * The thesis' experiments searched adaptively: one λ per decade to start, refined to 2^(1/4). The
 * start grid covers the λ* of every preset's N (the search extends past it where it does not).
 */
const ADAPTIVE = { mode: 'adaptive', start: [1e-3, 1e-2, 1e-1, 1], resolution: 2 ** 0.25 } as const;

for (const [name, spec] of Object.entries(thesis)) {
  PRESETS[name] = { name, seeds: 10, ...spec, lambdas: THESIS_LAMBDAS };
  PRESETS[`${name}-ext`] = { ...spec, name: `${name}-ext`, seeds: 10, lambdas: EXTENDED_LAMBDAS, description: `${spec.description} (extended λ grid)` };
  if (name !== 'thesis-fig1') {
    PRESETS[`${name}-adaptive`] = {
      ...spec,
      name: `${name}-adaptive`,
      seeds: 10,
      search: { ...ADAPTIVE, start: [...ADAPTIVE.start] },
      description: `${spec.description} (adaptive λ search to a resolution of 2^(1/4))`,
    };
  }
}
PRESETS.quick.name = 'quick';
// The thesis states neither its batch size nor its input scaling: fig. 2 on the extended grid
// under each combination (B = 3240 is full batch for every N of the grid).
PRESETS['protocol-sensitivity'] = {
  ...thesis['thesis-fig2'],
  name: 'protocol-sensitivity',
  description: 'Fig. 2 (extended λ grid) for batch sizes 1, 10 and full, with and without input standardization',
  seeds: 10,
  lambdas: EXTENDED_LAMBDAS,
  batchSize: [1, 10, 3240],
  standardize: [true, false],
};

export class UnknownPresetError extends Error {
  readonly code = 'UNKNOWN_PRESET';
  constructor(name: string) {
    super(`--preset: unknown preset "${name}"; choose one of ${Object.keys(PRESETS).join(', ')}`);
  }
}

export function preset(name: string): SpecInput {
  // Own keys only: "toString" or "__proto__" are not presets.
  if (!Object.hasOwn(PRESETS, name)) throw new UnknownPresetError(name);
  return PRESETS[name];
}

/** `--preset`'s help: every preset by name, so the list cannot drift from what is accepted. */
export const PRESET_HELP = `a named sweep: ${Object.keys(PRESETS).join(', ')}`;
