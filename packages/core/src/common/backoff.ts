import { InvalidInputError } from '../errors.js';

export interface BackoffOptions {
  readonly initialMs: number;
  readonly maxMs: number;
  readonly multiplier: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 10, maxMs: 30_000, multiplier: 2 };

export function validateBackoff(options: BackoffOptions, field: string): BackoffOptions {
  const { initialMs, maxMs, multiplier } = options;
  if (!(initialMs >= 0)) throw new InvalidInputError(`${field}.initialMs`, `must be ≥ 0, got ${initialMs}`);
  if (!(maxMs >= initialMs))
    throw new InvalidInputError(`${field}.maxMs`, `must be ≥ initialMs, got ${maxMs}`);
  if (!(multiplier >= 1))
    throw new InvalidInputError(`${field}.multiplier`, `must be ≥ 1, got ${multiplier}`);
  return options;
}

/** Exponential backoff with full jitter: a uniform delay in [0, min(max, initial·multiplier^(attempt-1))]. */
export function fullJitterDelay(
  attempt: number,
  options: BackoffOptions = DEFAULT_BACKOFF,
  random: () => number = Math.random,
): number {
  const exponent = Math.max(0, attempt - 1);
  const ceiling = Math.min(options.maxMs, options.initialMs * options.multiplier ** exponent);
  return Math.floor(random() * ceiling);
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (ms <= 0 || signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}
