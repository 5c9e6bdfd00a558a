import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '@eventloom/core/sqlite';
import { checkExactlyOnce } from '@eventloom/core/testing';
import { it } from 'vitest';
import { describeKafka, testTransport } from './testing/kafka.js';

/** Fewer runs than on the memory transport: every run joins fresh consumer groups on the broker. */
const RUNS = process.env.CI ? 16 : 8;

describeKafka('Kafka transport: exactly-once effects', () => {
  it(`under random broker faults and crashes: every effect once, in order per key, nothing lost (${RUNS} runs)`, async () => {
    const harness = {
      async open() {
        const folder = mkdtempSync(join(tmpdir(), 'eventloom-kafka-eo-'));
        const store = openSqliteStore({ path: join(folder, 'store.db'), synchronous: 'NORMAL' });
        const transport = testTransport();
        const close = async () => {
          await transport.close();
          await store.close();
          rmSync(folder, { recursive: true, force: true });
        };
        return { store, transport, close };
      },
    };
    await checkExactlyOnce(harness, { numRuns: RUNS, ackTimeoutMs: 3_000, timeoutMs: 60_000 });
  }, 420_000);
});
