/**
 * A hard budget for a run (`--max-cost`): an invocation may start only while what was billed so far
 * plus what is predicted for the invocations in flight, plus its own prediction, stays within it.
 * The first refusal marks the budget reached and tells the run to stop starting work.
 */
export class Budget {
  private spentDollars = 0;
  private reservedDollars = 0;
  private reachedFlag = false;

  constructor(
    readonly maxDollars: number,
    private readonly onReached: () => void = () => {},
  ) {}

  get reached(): boolean {
    return this.reachedFlag;
  }

  get spent(): number {
    return this.spentDollars;
  }

  /** Reserves `dollars` for an invocation about to start; false (and the budget reached) when it would pass. */
  reserve(dollars: number): boolean {
    if (this.reachedFlag || this.spentDollars + this.reservedDollars + dollars > this.maxDollars) {
      if (!this.reachedFlag) {
        this.reachedFlag = true;
        this.onReached();
      }
      return false;
    }
    this.reservedDollars += dollars;
    return true;
  }

  /** An invocation ended: its reservation is replaced by what it cost (billed, or estimated). */
  settle(reserved: number, cost: number): void {
    this.reservedDollars -= reserved;
    this.spentDollars += cost;
  }
}
