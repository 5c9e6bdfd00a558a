import { describe, expect, it } from 'vitest';
import { MessageProcessor } from '../consumer/process.js';
import { createEnvelope } from '../envelope/create.js';
import { createMemoryStore } from '../store/memory/index.js';
import { orderSaga } from '../testing/saga-order.js';
import { sagaQueries } from './queries.js';

const placed = (orderId: string) => createEnvelope({ type: 'order.placed', data: { orderId, amount: 1 } });
const reply = (orderId: string, type: string) => createEnvelope({ type, data: {}, subject: orderId });

async function threeOrders() {
  const store = createMemoryStore();
  const processor = new MessageProcessor({ store, handlers: [orderSaga] });
  const messages = [
    placed('o-1'),
    placed('o-2'),
    placed('o-3'),
    reply('o-2', 'inventory.reserved'),
    reply('o-2', 'payment.declined'),
    reply('o-3', 'inventory.out-of-stock'),
  ];
  for (const message of messages) await processor.process(message);
  return sagaQueries(store);
}

describe('saga queries for operators', () => {
  it('gets one instance with its state, status, timers, timestamps and history', async () => {
    const queries = await threeOrders();
    const record = await queries.get(orderSaga, 'o-2');
    expect(record).toMatchObject({
      saga: 'order-saga',
      id: 'o-2',
      status: 'compensating',
      version: 3,
      timeouts: { 'compensation:reserve-inventory': expect.any(String) },
      state: {
        completed: ['reserve-inventory'],
        pending: ['reserve-inventory'],
        failure: { step: 'process-payment' },
      },
    });
    expect(record?.history.map((entry) => [entry.type, entry.status])).toEqual([
      ['order.placed', 'running'],
      ['inventory.reserved', 'running'],
      ['payment.declined', 'compensating'],
    ]);
    expect(record?.history[2]?.note).toBe(
      'process-payment: failed (payment.declined); to compensate: reserve-inventory; reserve-inventory: sent inventory.release (attempt 1)',
    );
    expect(await queries.get('order-saga', 'o-404')).toBeUndefined();
  });

  it('lists instances by status, in id order, a page at a time', async () => {
    const queries = await threeOrders();
    const ids = async (options: Parameters<typeof queries.list>[1]) =>
      (await queries.list(orderSaga, options)).map((record) => record.id);
    expect(await ids({})).toEqual(['o-1', 'o-2', 'o-3']);
    expect(await ids({ status: 'running' })).toEqual(['o-1']);
    expect(await ids({ status: 'compensating' })).toEqual(['o-2']);
    expect(await ids({ status: 'compensated' })).toEqual(['o-3']);
    expect(await ids({ status: 'completed' })).toEqual([]);
    expect(await ids({ limit: 2 })).toEqual(['o-1', 'o-2']);
    expect(await ids({ after: 'o-2' })).toEqual(['o-3']);
  });

  it('counts instances by status', async () => {
    const queries = await threeOrders();
    expect(await queries.countByStatus(orderSaga)).toEqual({
      running: 1,
      compensating: 1,
      completed: 0,
      compensated: 1,
      failed: 0,
    });
    expect(Object.values(await queries.countByStatus('never-ran')).every((count) => count === 0)).toBe(true);
  });

  it('names the invalid option', async () => {
    const queries = await threeOrders();
    await expect(queries.list(orderSaga, { limit: 5_000 })).rejects.toThrow('limit');
    await expect(queries.list(orderSaga, { status: 'done' as never })).rejects.toThrow('status');
    await expect(queries.get(orderSaga, '')).rejects.toThrow('id');
  });
});
