/** The Lambda executor's concurrency cap: Lambda's ramp, and AIMD on throttles. */
import { describe, expect, test } from 'vitest';
import { ConcurrencyGate } from '../../orchestrator/executors/concurrency-gate.js';
import { ManualClock } from '../helpers/manual-clock.js';

/** Acquires `n` slots (each resolves when granted) and counts the grants. */
function acquireMany(gate: ConcurrencyGate, n: number) {
  let granted = 0;
  for (let i = 0; i < n; i++) void gate.acquire().then(() => granted++);
  return () => granted;
}

describe('the concurrency gate', () => {
  test('starts at the run\'s max when Lambda can give it at once, and never passes it', async () => {
    const clock = new ManualClock();
    const gate = new ConcurrencyGate({ max: 10, clock });
    const granted = acquireMany(gate, 15);
    await clock.advance(0);
    expect([granted(), gate.inFlight, gate.cap]).toEqual([10, 10, 10]);
    gate.release();
    gate.succeeded();
    await clock.advance(0);
    expect(granted()).toBe(11);
  });

  test('follows Lambda\'s ramp: 1000 environments at once, then 1000 more per 10 s', async () => {
    const clock = new ManualClock();
    const gate = new ConcurrencyGate({ max: 2500, clock });
    const granted = acquireMany(gate, 3000);
    await clock.advance(0);
    expect(granted()).toBe(1000);
    await clock.advance(9_999);
    expect(granted()).toBe(1000);
    await clock.advance(1);
    expect(granted()).toBe(2000);
    await clock.advance(10_000);
    expect(granted()).toBe(2500);
  });

  test('a throttle drops the cap below what was running; one storm decreases it once; successes grow it back', async () => {
    const clock = new ManualClock();
    const gate = new ConcurrencyGate({ max: 256, clock });
    const granted = acquireMany(gate, 300);
    await clock.advance(0);
    expect(granted()).toBe(256);
    // The account takes 10: the 11th and later are refused. Each refusal releases its slot.
    await clock.advance(5);
    for (let i = 0; i < 246; i++) {
      gate.throttled(0);
      gate.release();
    }
    expect(gate.cap).toBe(Math.floor(256 * 0.9));
    // The decrease came after those invocations started: later 429s of the same storm say nothing new.
    const before = gate.cap;
    gate.throttled(0);
    expect(gate.cap).toBe(before);
    // A throttle of an invocation started after the decrease does decrease it again, below what runs.
    await clock.advance(5);
    gate.throttled(clock.now());
    expect(gate.cap).toBeLessThanOrEqual(Math.floor(0.9 * gate.inFlight) + 1);
    const low = gate.cap;
    for (let i = 0; i < 20; i++) gate.succeeded();
    expect(gate.cap).toBe(Math.min(256, Math.floor(low + 20 * 0.1)));
  });
});
