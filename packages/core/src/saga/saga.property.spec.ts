import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import type { EventStore } from '../store/contract.js';
import { createMemoryStore } from '../store/memory/index.js';
import { openSqliteStore } from '../store/sqlite/index.js';
import { createFaultyTransport, seededRandom } from '../testing/faulty-transport.js';
import { runSagaScenario } from '../testing/saga-scenario.js';
import { sagaFaults, sagaScripts } from '../testing/saga-scenario-arbitrary.js';
import { createMemoryTransport } from '../transport/memory/index.js';
import { DEFAULT_COMPENSATION_ATTEMPTS } from './orchestration/validate.js';

const RUNS_PER_STORE = process.env.CI ? 100 : 20;

const stores: Record<string, () => { store: EventStore; cleanup: () => void }> = {
  memory: () => ({ store: createMemoryStore(), cleanup: () => {} }),
  sqlite: () => {
    const folder = mkdtempSync(join(tmpdir(), 'eventloom-saga-'));
    const store = openSqliteStore({ path: join(folder, 'store.db'), synchronous: 'NORMAL' });
    return { store, cleanup: () => rmSync(folder, { recursive: true, force: true }) };
  },
};

describe.each(Object.entries(stores))('the OrderSaga end to end on the %s store', (_name, open) => {
  it(`fails at any step, or none, under redelivery, duplicates and racing deadlines: exactly the completed steps are compensated, in reverse order, once each (${RUNS_PER_STORE} random runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(sagaScripts(DEFAULT_COMPENSATION_ATTEMPTS), sagaFaults, async (scripts, faults) => {
        const { store, cleanup } = open();
        const inner = createMemoryTransport({ onError: () => {} });
        const transport = createFaultyTransport(inner, { ...faults, random: seededRandom(faults.seed) });
        try {
          await runSagaScenario({ store, transport, scripts });
        } finally {
          await transport.close();
          await store.close();
          cleanup();
        }
      }),
      { numRuns: RUNS_PER_STORE },
    );
  });
});
