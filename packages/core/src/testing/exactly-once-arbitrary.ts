import fc from 'fast-check';
import type { CounterCommandStep, ScenarioStep, ScenarioWorkload } from './exactly-once-model.js';
import type { FaultOptions } from './faulty-transport.js';
import { seededRandom } from './faulty-transport.js';

export interface WorkloadShape {
  readonly counters?: number;
  readonly maxSteps?: number;
  /** Commands run at once in one step (over random counters, so some conflict and retry). */
  readonly maxConcurrent?: number;
}

const command = (counters: number): fc.Arbitrary<CounterCommandStep> =>
  fc.record({
    counter: fc.integer({ min: 1, max: counters }).map(String),
    by: fc.oneof(
      { weight: 9, arbitrary: fc.integer({ min: 1, max: 5 }) },
      { weight: 1, arbitrary: fc.constant(0) },
    ),
  });

const step = (counters: number, maxConcurrent: number): fc.Arbitrary<ScenarioStep> =>
  fc.oneof(
    {
      weight: 10,
      arbitrary: fc.record({
        kind: fc.constant('commands' as const),
        commands: fc.array(command(counters), { minLength: 1, maxLength: maxConcurrent }),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({ kind: fc.constant('pause' as const), ms: fc.integer({ min: 0, max: 15 }) }),
    },
    {
      weight: 1,
      arbitrary: fc.record({ kind: fc.constant('restart-consumer' as const), hard: fc.boolean() }),
    },
    { weight: 1, arbitrary: fc.constant({ kind: 'restart-relay' as const }) },
  );

/** Random workloads: concurrent commands over a few counters, with pauses and restarts in between. */
export function scenarioWorkload(shape: WorkloadShape = {}): fc.Arbitrary<ScenarioWorkload> {
  const { counters = 3, maxSteps = 12, maxConcurrent = 4 } = shape;
  return fc.record({ steps: fc.array(step(counters, maxConcurrent), { minLength: 1, maxLength: maxSteps }) });
}

const chance = (...values: number[]) => fc.constantFrom(...values);

export type ScenarioFaults = Omit<FaultOptions, 'random'> & { readonly seed: number };

/** Fault mixes for a FaultyTransport, from none at all to frequent faults of every kind. */
export const scenarioFaults: fc.Arbitrary<ScenarioFaults> = fc.record({
  seed: fc.integer(),
  duplicateDelivery: chance(0, 0.1, 0.3),
  dropAck: chance(0, 0.1, 0.3),
  delayDelivery: chance(0, 0.2),
  maxDelayMs: fc.constant(10),
  publishFailsAfterAccept: chance(0, 0.2, 0.4),
  publishFailsBeforeAccept: chance(0, 0.1),
  crash: chance(0, 0.1, 0.3),
});

/** The FaultyTransport options of a generated mix: its seed drives every fault. */
export function faultOptionsOf({ seed, ...chances }: ScenarioFaults): FaultOptions {
  return { ...chances, random: seededRandom(seed) };
}
