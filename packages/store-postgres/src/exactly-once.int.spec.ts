import { createMemoryTransport } from '@eventloom/core';
import { checkExactlyOnce } from '@eventloom/core/testing';
import { it } from 'vitest';
import { describePostgres, freshStores } from './testing/postgres.js';

/** Fewer runs than on the embedded stores: each run migrates a fresh schema on the server. */
const RUNS = process.env.CI ? 40 : 15;

describePostgres('PostgreSQL store: exactly-once effects', () => {
  const stores = freshStores();

  it(`under random broker faults and crashes: every effect once, in order per key, nothing lost (${RUNS} runs)`, async () => {
    const harness = {
      async open() {
        const store = await stores.open();
        const transport = createMemoryTransport({ onError: () => {} });
        const close = async () => {
          await transport.close();
          await store.close();
        };
        return { store, transport, close };
      },
    };
    await checkExactlyOnce(harness, { numRuns: RUNS, timeoutMs: 30_000 });
  }, 600_000);
});
