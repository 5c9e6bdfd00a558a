import fc from 'fast-check';
import type { EventStore } from '../store/contract.js';
import type { Transport } from '../transport/contract.js';
import { runExactlyOnceScenario } from './exactly-once.js';
import {
  faultOptionsOf,
  scenarioFaults,
  scenarioWorkload,
  type WorkloadShape,
} from './exactly-once-arbitrary.js';
import { createFaultyTransport } from './faulty-transport.js';

export interface ExactlyOnceHarness {
  /** A fresh store and transport for one run; the check wraps the transport in a FaultyTransport. */
  open(): Promise<{ readonly store: EventStore; readonly transport: Transport; close(): Promise<void> }>;
}

export interface ExactlyOnceCheckOptions {
  readonly numRuns: number;
  /** The consumer's ack timeout; a real broker may need a longer one than the memory transport. */
  readonly ackTimeoutMs?: number;
  /** Per run, how long to wait for quiescence. */
  readonly timeoutMs?: number;
  readonly workload?: WorkloadShape;
  /** Replays a failure: fast-check prints the seed and path of a failing run. */
  readonly seed?: number;
  readonly path?: string;
}

/**
 * The exactly-once property, for any store and transport: random workloads under random
 * broker faults and crash points, each run checked against the fault-free model.
 */
export async function checkExactlyOnce(
  harness: ExactlyOnceHarness,
  options: ExactlyOnceCheckOptions,
): Promise<void> {
  const { numRuns, ackTimeoutMs = 150, timeoutMs = 10_000 } = options;
  const property = fc.asyncProperty(
    scenarioWorkload(options.workload),
    scenarioFaults,
    async (workload, faults) => {
      const { store, transport, close } = await harness.open();
      const faulty = createFaultyTransport(transport, faultOptionsOf(faults));
      try {
        await runExactlyOnceScenario({ store, transport: faulty, workload, ackTimeoutMs, timeoutMs });
      } finally {
        await close();
      }
    },
  );
  await fc.assert(property, {
    numRuns,
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(options.path === undefined ? {} : { path: options.path }),
  });
}
