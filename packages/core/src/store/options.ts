import { positiveInteger } from '../common/integers.js';
import { InvalidInputError } from '../errors.js';
import { DEFAULT_STORE_LIMITS, type StoreLimits } from './limits.js';
import { EventSchema } from './schema.js';

/** What every store accepts beside its connection settings. */
export interface StoreOptions {
  readonly schema?: EventSchema;
  readonly limits?: Partial<StoreLimits>;
  readonly clock?: () => Date;
}

/** The settings a store runs with, defaults filled in and checked. */
export interface StoreSettings {
  readonly schema: EventSchema;
  readonly limits: StoreLimits;
  readonly clock: () => Date;
}

export function resolveStoreOptions(options: StoreOptions = {}): StoreSettings {
  const limits = { ...DEFAULT_STORE_LIMITS, ...options.limits };
  for (const [name, value] of Object.entries(limits)) positiveInteger(value, `limits.${name}`);
  if (options.clock !== undefined && typeof options.clock !== 'function') {
    throw new InvalidInputError('clock', 'must be a function returning a Date');
  }
  return {
    schema: options.schema ?? new EventSchema(),
    limits,
    clock: options.clock ?? (() => new Date()),
  };
}

/** Milliseconds since the epoch of the store's clock, checked: a broken clock must not write garbage. */
export function nowMillis(clock: () => Date): number {
  const millis = clock().getTime();
  if (!Number.isFinite(millis)) throw new InvalidInputError('clock', 'returned an invalid Date');
  return millis;
}
