import { createHash } from 'node:crypto';
import type { LambdaMetrics } from './task.js';

const FIELDS = ['lambda', 'trainLoss', 'trainObjective', 'valLoss', 'valError', 'weightNorm'] as const;

/** sha256 (hex) over the IEEE-754 bits of every metric, λ by λ in field order. */
export function metricsDigest(metrics: readonly LambdaMetrics[]): string {
  const bits = new Float64Array(metrics.length * FIELDS.length);
  metrics.forEach((m, i) => FIELDS.forEach((f, j) => (bits[i * FIELDS.length + j] = m[f])));
  // Fixed little-endian bytes, whatever the host's endianness.
  const view = new DataView(new ArrayBuffer(bits.length * 8));
  bits.forEach((v, i) => view.setFloat64(i * 8, v, true));
  return createHash('sha256').update(new Uint8Array(view.buffer)).digest('hex');
}
