/**
 * How many invocations may run at once, adapted the way Lambda scales: the cap starts at what the
 * function may reach at once (1000 environments), grows by at most 1000 per 10 s (Lambda's ramp),
 * halves nothing blindly on a throttle but drops below what was actually running when the 429 came
 * (multiplicative decrease), and grows back by a fraction of an invocation per success (additive
 * increase). One decrease per throttle storm: a 429 for an invocation started before the last
 * decrease says nothing new.
 */
import type { Clock } from '../time/clock.js';

export interface GateOptions {
  /** The most the run allows (the requested, account-checked concurrency). */
  max: number;
  clock: Clock;
  /** Environments Lambda may add per `rampEveryMs` (and has at once). */
  rampStep?: number;
  rampEveryMs?: number;
}

/** After a throttle: the cap becomes this share of what was running. */
const DECREASE = 0.9;
/** Cap growth per successful invocation, after the first throttle: ~10 % per round of invocations. */
const INCREASE = 0.1;

export class ConcurrencyGate {
  private capValue: number;
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private head = 0;
  private startedAt?: number;
  private lastDecrease = -Infinity;
  private throttledOnce = false;
  private readonly rampStep: number;
  private readonly rampEveryMs: number;
  private rampTimer = false;

  constructor(private readonly opts: GateOptions) {
    this.rampStep = opts.rampStep ?? 1000;
    this.rampEveryMs = opts.rampEveryMs ?? 10_000;
    this.capValue = opts.max;
  }

  get inFlight(): number {
    return this.running;
  }

  /** The cap now: never above the run's max or what Lambda's ramp allows by now. */
  get cap(): number {
    return Math.max(1, Math.floor(Math.min(this.capValue, this.rampLimit())));
  }

  private rampLimit(): number {
    if (this.startedAt === undefined) return this.rampStep;
    return this.rampStep * (1 + Math.floor((this.opts.clock.now() - this.startedAt) / this.rampEveryMs));
  }

  /** Waits for a slot; resolves with the time the invocation may start. */
  async acquire(): Promise<number> {
    this.startedAt ??= this.opts.clock.now();
    while (this.running >= this.cap) {
      this.wakeAtNextRampStep();
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    this.running++;
    return this.opts.clock.now();
  }

  release(): void {
    this.running--;
    this.wake();
  }

  succeeded(): void {
    if (this.throttledOnce) this.capValue = Math.min(this.opts.max, this.capValue + INCREASE);
    this.wake();
  }

  /** A 429 for an invocation started at `startedAt`, with `running` invocations in flight when it came. */
  throttled(startedAt: number): void {
    this.throttledOnce = true;
    if (startedAt < this.lastDecrease) return;
    this.capValue = Math.max(1, Math.min(this.capValue, this.running) * DECREASE);
    this.lastDecrease = this.opts.clock.now();
  }

  /** When the ramp is what holds waiters back, they try again when it next steps up. */
  private wakeAtNextRampStep(): void {
    if (this.rampTimer || this.startedAt === undefined || this.rampLimit() >= this.capValue) return;
    const elapsed = this.opts.clock.now() - this.startedAt;
    this.rampTimer = true;
    this.opts.clock.after(this.rampEveryMs - (elapsed % this.rampEveryMs), () => {
      this.rampTimer = false;
      this.wake();
      if (this.head < this.waiting.length) this.wakeAtNextRampStep();
    });
  }

  /** Lets as many waiters try as there are free slots (a woken waiter re-checks the cap). */
  private wake(): void {
    let free = this.cap - this.running;
    while (free-- > 0 && this.head < this.waiting.length) {
      const next = this.waiting[this.head++];
      next();
    }
    if (this.head > 1024 && this.head * 2 > this.waiting.length) {
      this.waiting.splice(0, this.head);
      this.head = 0;
    }
  }
}
