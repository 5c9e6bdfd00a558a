import { createMemoryStore } from '@eventloom/core';
import { checkExactlyOnce } from '@eventloom/core/testing';
import { it } from 'vitest';
import { describeNats, freshTransports } from './testing/nats.js';

const RUNS = process.env.CI ? 25 : 10;

describeNats('exactly-once effects over NATS JetStream', () => {
  const nats = freshTransports();

  it(`under random broker faults and crashes: every effect once, in order per key, nothing lost (${RUNS} runs)`, async () => {
    const harness = {
      async open() {
        const store = createMemoryStore();
        const transport = await nats.create();
        const close = async () => {
          await transport.close();
          await store.close();
        };
        return { store, transport, close };
      },
    };
    await checkExactlyOnce(harness, { numRuns: RUNS, ackTimeoutMs: 1_000, timeoutMs: 30_000 });
  }, 300_000);
});
