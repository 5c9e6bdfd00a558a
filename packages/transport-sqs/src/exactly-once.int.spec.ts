import { createMemoryStore } from '@eventloom/core';
import { checkExactlyOnce } from '@eventloom/core/testing';
import { describe, it } from 'vitest';
import { motoEnv, runPrefix, transportOptions } from './testing/moto.js';
import { createSqsTransport } from './transport.js';

/** Few runs: each provisions fresh topics and queues on moto, which is slow. */
const RUNS = process.env.CI ? 8 : 5;
const env = motoEnv();

describe.skipIf(env === undefined)('exactly-once effects over SNS/SQS FIFO', () => {
  if (env === undefined) return;
  it(`under random broker faults and crashes: every effect once, in order per key, nothing lost (${RUNS} runs)`, async () => {
    const options = transportOptions(env, { namePrefix: runPrefix('eo'), fifo: true });
    const harness = {
      async open() {
        const store = createMemoryStore();
        const transport = createSqsTransport(options);
        const close = async () => {
          await transport.close();
          await store.close();
        };
        return { store, transport, close };
      },
    };
    await checkExactlyOnce(harness, { numRuns: RUNS, ackTimeoutMs: 1_000, timeoutMs: 60_000 });
  }, 300_000);
});
