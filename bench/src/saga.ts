import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ConsumerRuntime,
  createEnvelope,
  createMemoryTransport,
  type EventStore,
  OutboxRelay,
} from '@eventloom/core';
import { openSqliteStore } from '@eventloom/core/sqlite';
import { ORDER_STEPS, orderSaga, type SagaScript, scenarioServices } from '@eventloom/core/testing';
import { type Measurement, measure } from './measure.js';

const SAGAS = 1_000;
const ORDERS_PER_TRANSACTION = 100;
type Sync = 'FULL' | 'NORMAL';

/** The two workloads: every step succeeds, or the last one is refused and the two before are compensated. */
const CASES = {
  'all 3 steps succeed': { actions: ['ok', 'ok', 'ok'], endsWith: ORDER_STEPS[2]!.done },
  'last step refused, 2 compensations': {
    actions: ['ok', 'ok', 'reject'],
    endsWith: ORDER_STEPS[0]!.compensated,
  },
} as const;

interface SagaRow extends Measurement {
  readonly messagesPerSecond: number;
}

/** Runs `count` OrderSagas to their end through relay → memory transport → consumer runtime on SQLite. */
async function sagaCase(folder: string, sync: Sync, label: keyof typeof CASES): Promise<SagaRow> {
  const { actions, endsWith } = CASES[label];
  const store = openSqliteStore({
    path: join(folder, `saga-${sync}-${actions.join('-')}.db`),
    synchronous: sync,
  });
  const transport = createMemoryTransport();
  let ended = 0;
  let messages = 0;
  let allEnded = () => {};
  const done = new Promise<void>((resolve) => {
    allEnded = resolve;
  });
  const consumer = new ConsumerRuntime({
    store,
    transport,
    group: 'bench',
    handlers: [orderSaga, ...scenarioServices('bench')],
    subscription: { maxInFlight: 256 },
    inbox: false,
    observer: {
      handled: (message, name) => {
        messages++;
        if (name === orderSaga.consumer && message.type === endsWith && ++ended === SAGAS) allEnded();
      },
    },
  });
  const relay = new OutboxRelay(store, { transport });
  await consumer.start();
  relay.start();
  const script: SagaScript = { actions, compensationFailures: [0, 0, 0], lateOffsetMs: 0 };
  const measurement = await measure(`order saga, ${label}, sync=${sync}`, SAGAS, async () => {
    await placeOrders(store, script);
    await done;
  });
  await Promise.all([relay.stop(), consumer.stop()]);
  await transport.close();
  await store.close();
  return { ...measurement, messagesPerSecond: messages / measurement.seconds };
}

async function placeOrders(store: EventStore, script: SagaScript): Promise<void> {
  for (let first = 0; first < SAGAS; first += ORDERS_PER_TRANSACTION) {
    const orders = Array.from({ length: Math.min(ORDERS_PER_TRANSACTION, SAGAS - first) }, (_, offset) => {
      const orderId = `o-${first + offset}`;
      return createEnvelope({
        type: 'order.placed',
        data: { orderId, amount: 10, script },
        subject: orderId,
      });
    });
    await store.transaction((uow) => uow.enqueue(orders));
  }
}

export async function benchSaga(): Promise<SagaRow[]> {
  const folder = mkdtempSync(join(tmpdir(), 'eventloom-bench-saga-'));
  const rows: SagaRow[] = [];
  try {
    for (const sync of ['FULL', 'NORMAL'] as const) {
      for (const label of Object.keys(CASES) as (keyof typeof CASES)[])
        rows.push(await sagaCase(folder, sync, label));
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  console.log(
    `\nOrderSaga instances run to their end: SQLite (file, WAL) + memory transport, ${SAGAS} sagas at once`,
  );
  console.log('case'.padEnd(58), 'sagas/s'.padStart(9), 'messages/s'.padStart(11));
  for (const row of rows) {
    console.log(
      row.name.padEnd(58),
      Math.round(row.perSecond).toString().padStart(9),
      Math.round(row.messagesPerSecond).toString().padStart(11),
    );
  }
  return rows;
}
