/** The shape of a sweep's analysis (analysis.json), shared by the analysis, the report and predict. */
import type { TrainingOptions } from '../../functions/trainer/task.js';
import type { AdaptiveSearch } from '../search/adaptive.js';
import type { Manifest } from '../store/result-store.js';
import type { LineFit } from './stats.js';

export interface PointSummary {
  n: number;
  /** Seeds with a λ*. */
  seeds: number;
  meanLambdaStar: number;
  semLambdaStar: number | null;
  meanLog10LambdaStar: number;
  semLog10LambdaStar: number | null;
  lambdaStars: number[];
  subgridLambdaStars: number[];
  meanSubgridLambdaStar: number;
  /** Seeds whose λ* is the smallest or largest λ evaluated for it. */
  edgeCount: number;
  lowEdgeCount: number;
  highEdgeCount: number;
  /** Seeds whose adaptive search ended with λ* on a bound of the search (low + high). */
  boundCount: number;
  lowBoundCount: number;
  highBoundCount: number;
  /** Seeds whose adaptive search ran out of rounds before λ* was resolved. */
  roundCapCount: number;
  /** The largest ratio between a seed's λ* and its nearest evaluated neighbours; null if any λ* is on an edge. */
  resolution: number | null;
  /** Points evaluated at this N (all seeds), and how many of them diverged. */
  evaluatedPoints: number;
  divergedPoints: number;
}

export interface CurvePoint {
  lambda: number;
  /** Seeds that evaluated this λ and stayed finite. */
  seeds: number;
  trainLoss: number;
  trainLossSem: number | null;
  valLoss: number;
  valLossSem: number | null;
  valError: number;
  valErrorSem: number | null;
}

export interface GroupAnalysis {
  reg: 'l1' | 'l2';
  initFactor: number;
  /** The training options of this group that the sweep varies (empty when none vary). */
  options: Partial<TrainingOptions>;
  label: string;
  points: PointSummary[];
  slope: LineFit | null;
  slopeAllPoints: LineFit | null;
  slopeWithoutEdges: LineFit | null;
  /** N left out of `slopeWithoutEdges`: half or more of their seeds sit on an edge. */
  edgeDominatedN: number[];
  curves: { n: number; points: CurvePoint[] }[];
  warnings: string[];
}

export interface Analysis {
  sweepId: string;
  name: string | null;
  trainerVersion: string;
  /** The training protocol every task ran (lists where the sweep varies an option). */
  protocol: Manifest['spec']['options'];
  /** The λ the sweep evaluated: a fixed grid, or an adaptive search with its settings. */
  lambdas: { mode: 'grid'; grid: number[] } | { mode: 'adaptive'; search: AdaptiveSearch };
  cells: { planned: number; complete: number; incomplete: string[] };
  /** Points in the answer, and their work in λ-pattern-epochs (Σ N × epochs). */
  points: number;
  work: number;
  groups: GroupAnalysis[];
}
