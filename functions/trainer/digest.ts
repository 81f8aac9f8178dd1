import { createHash } from 'node:crypto';
import type { LambdaMetrics } from './task.js';
import { isDiverged } from './task.js';

const FIELDS = ['trainLoss', 'trainObjective', 'valLoss', 'valError', 'weightNorm'] as const;
const SLOTS = 1 + FIELDS.length;

/**
 * sha256 (hex) over the IEEE-754 bits of every metric, λ by λ: λ, then the fields in order. A
 * diverged λ has all-ones bits in its field slots (a NaN no arithmetic produces here), written as
 * integers because a NaN's bits are not fixed when stored as a float.
 */
export function metricsDigest(metrics: readonly LambdaMetrics[]): string {
  // Fixed little-endian bytes, whatever the host's endianness.
  const view = new DataView(new ArrayBuffer(metrics.length * SLOTS * 8));
  metrics.forEach((m, i) => {
    const at = i * SLOTS * 8;
    view.setFloat64(at, m.lambda, true);
    FIELDS.forEach((f, j) => {
      const slot = at + (j + 1) * 8;
      if (isDiverged(m)) {
        view.setUint32(slot, 0xffffffff, true);
        view.setUint32(slot + 4, 0xffffffff, true);
      } else view.setFloat64(slot, m[f], true);
    });
  });
  return createHash('sha256').update(new Uint8Array(view.buffer)).digest('hex');
}
