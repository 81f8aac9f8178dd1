/** What a report written during a run says about the run itself (progress, rate, ETA, failures, cost). */
export interface LiveStatus {
  /** Still running: the page says the numbers are partial and reloads itself. */
  running: boolean;
  /** When this status was taken (ISO time). */
  updatedAt: string;
  /** Adaptive round, from 1 (a grid sweep has one). */
  round: number;
  /** Points of this round trained so far, and planned. */
  pointsDone: number;
  pointsTotal: number;
  /** Points per second in this round; null before the first result. */
  ratePerSecond: number | null;
  /** Seconds left in this round at that rate; null when unknown. */
  etaSeconds: number | null;
  failedTasks: number;
  /** Lambda: dollars billed so far (estimated where no bill came back); absent for a local run. */
  dollarsSoFar?: number;
}
