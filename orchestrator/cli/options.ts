/** Option parsers shared by the commands: each rejects bad input with a message naming the flag. */
import { InvalidArgumentError } from 'commander';

export function positiveInt(flag: string, max = Number.MAX_SAFE_INTEGER, min = 1) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isInteger(n) || n < min) throw new InvalidArgumentError(`${flag} must be a whole number ≥ ${min}`);
    if (n > max) throw new InvalidArgumentError(`${flag} must be at most ${max}`);
    return n;
  };
}

export function number(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError(`${flag} must be a number`);
    return n;
  };
}

export function positiveNumber(flag: string, example: string) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${flag} must be a number > 0, e.g. ${example}`);
    return n;
  };
}

export function numberList(flag: string) {
  return (value: string): number[] =>
    value.split(',').map((part) => {
      const n = Number(part);
      if (part.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError(`${flag} must be a comma-separated list of numbers, e.g. 1e-3,1e-2`);
      return n;
    });
}

export const DEFAULT_STORE = './runs';
