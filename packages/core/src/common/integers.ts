import { InvalidInputError } from '../errors.js';

/** `value` when it is a safe integer ≥ `minimum`; otherwise an InvalidInputError naming `field`. */
export function integerAtLeast(minimum: number, value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < minimum) {
    throw new InvalidInputError(field, `must be an integer ≥ ${minimum}, got ${String(value)}`);
  }
  return value;
}

/** `value` when it is a safe integer ≥ 1: sizes, limits, timeouts. */
export function positiveInteger(value: unknown, field: string): number {
  return integerAtLeast(1, value, field);
}
