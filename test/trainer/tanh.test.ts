import { expect, test } from 'vitest';
import { tanh } from '../../functions/trainer/tanh.js';

test('tanh matches Math.tanh to 1e-13 relative across its range and saturates at ±1', () => {
  let worst = 0;
  for (let i = -200_000; i <= 200_000; i++) {
    const x = (i / 200_000) ** 3 * 25;
    const ref = Math.tanh(x);
    const err = Math.abs(tanh(x) - ref) / Math.max(Math.abs(ref), 1e-300);
    if (x !== 0) worst = Math.max(worst, err);
  }
  expect(worst).toBeLessThan(1e-13);
  expect(tanh(0) === 0).toBe(true);
  expect(tanh(40)).toBe(1);
  expect(tanh(-40)).toBe(-1);
  expect(tanh(1e6)).toBe(1);
  expect(tanh(-0.5)).toBe(-tanh(0.5));
});
