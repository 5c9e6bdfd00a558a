import fc from 'fast-check';
import type { FaultOptions } from './faulty-transport.js';
import { type ActionBehaviour, ORDER_STEPS, type SagaScript } from './saga-scenario-services.js';

const behaviour: fc.Arbitrary<ActionBehaviour> = fc.oneof(
  { weight: 6, arbitrary: fc.constant('ok' as const) },
  { weight: 2, arbitrary: fc.constant('reject' as const) },
  { weight: 2, arbitrary: fc.constant('lose-reply' as const) },
  { weight: 2, arbitrary: fc.constant('late-reply' as const) },
  { weight: 1, arbitrary: fc.constant('duplicate-reply' as const) },
);

/** Mostly compensations that work, some that fail a few times, some that never do. */
const compensationFailures = (maxAttempts: number): fc.Arbitrary<number> =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constant(0) },
    { weight: 3, arbitrary: fc.integer({ min: 1, max: maxAttempts - 1 }) },
    { weight: 1, arbitrary: fc.constant(maxAttempts) },
  );

/** One saga's script: a failure can be scripted at any step, or at none. */
export const sagaScript = (maxAttempts: number): fc.Arbitrary<SagaScript> =>
  fc.record({
    actions: fc.array(behaviour, { minLength: ORDER_STEPS.length, maxLength: ORDER_STEPS.length }),
    compensationFailures: fc.array(compensationFailures(maxAttempts), {
      minLength: ORDER_STEPS.length,
      maxLength: ORDER_STEPS.length,
    }),
    lateOffsetMs: fc.integer({ min: -1, max: 1 }),
  });

/** A few sagas at once, each with its own script. */
export const sagaScripts = (maxAttempts: number, maxSagas = 3): fc.Arbitrary<SagaScript[]> =>
  fc.array(sagaScript(maxAttempts), { minLength: 1, maxLength: maxSagas });

/** Transport faults from none to frequent: redeliveries, duplicates, lost acks, crashes before commit. */
export const sagaFaults: fc.Arbitrary<Omit<FaultOptions, 'random'> & { readonly seed: number }> = fc.record({
  seed: fc.integer(),
  duplicateDelivery: fc.constantFrom(0, 0.1, 0.3),
  dropAck: fc.constantFrom(0, 0.1, 0.3),
  delayDelivery: fc.constantFrom(0, 0.2),
  maxDelayMs: fc.constant(5),
  publishFailsAfterAccept: fc.constantFrom(0, 0.1),
  crash: fc.constantFrom(0, 0.1, 0.3),
});
