import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import type { EventStore } from '../store/contract.js';
import { createMemoryStore } from '../store/memory/index.js';
import { openSqliteStore } from '../store/sqlite/index.js';
import { createMemoryTransport } from '../transport/memory/index.js';
import { checkExactlyOnce } from './exactly-once-check.js';

const RUNS_PER_STORE = process.env.CI ? 100 : 25;

const stores: Record<string, () => { store: EventStore; cleanup: () => void }> = {
  memory: () => ({ store: createMemoryStore(), cleanup: () => {} }),
  sqlite: () => {
    const folder = mkdtempSync(join(tmpdir(), 'eventloom-exactly-once-'));
    const store = openSqliteStore({ path: join(folder, 'store.db'), synchronous: 'NORMAL' });
    return { store, cleanup: () => rmSync(folder, { recursive: true, force: true }) };
  },
};

describe.each(Object.entries(stores))('exactly-once effects on the %s store', (_name, openStore) => {
  it(`under random broker faults and crashes: every effect once, in order per key, nothing lost, outbox drained (${RUNS_PER_STORE} runs)`, async () => {
    const harness = {
      async open() {
        const { store, cleanup } = openStore();
        const transport = createMemoryTransport({ onError: () => {} });
        const close = async () => {
          await transport.close();
          await store.close();
          cleanup();
        };
        return { store, transport, close };
      },
    };
    await checkExactlyOnce(harness, { numRuns: RUNS_PER_STORE });
  }, 300_000);
});
