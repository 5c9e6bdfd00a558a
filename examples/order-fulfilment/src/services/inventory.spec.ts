import { createEnvelope, createMemoryStore, type EventStore, MessageProcessor } from '@eventloom/core';
import { describe, expect, it } from 'vitest';
import type { OrderRequest } from '../domain/order-request.js';
import { inventoryService, STOCK } from './inventory.js';

const request: OrderRequest = {
  orderId: 'order-late',
  customer: 'ada',
  lines: [{ sku: 'keyboard', qty: 2, price: 89_00 }],
  total: 178_00,
  card: 'tok_visa',
};

const step = (type: 'inventory.reserve' | 'inventory.release') =>
  createEnvelope({ type, data: request, subject: `order-saga/${request.orderId}` });

async function inventory(): Promise<{ store: EventStore; processor: MessageProcessor }> {
  const store = createMemoryStore();
  await store.transaction((uow) => uow.documents(STOCK).put('keyboard', { available: 5 }));
  return { store, processor: new MessageProcessor({ store, handlers: inventoryService.handlers ?? [] }) };
}

async function replies(store: EventStore): Promise<{ type: string; reason?: string }[]> {
  return (await store.pendingOutbox(100)).map(({ envelope }) => ({
    type: envelope.type,
    ...((envelope.data as { reason?: string }).reason === undefined
      ? {}
      : { reason: (envelope.data as { reason: string }).reason }),
  }));
}

const keyboards = (store: EventStore) =>
  store.transaction(
    async (uow) => (await uow.documents<{ available: number }>(STOCK).get('keyboard'))?.value.available,
  );

describe('inventory service', () => {
  it('a reservation that arrives after its release (the compensation overtook it) is refused and takes no stock', async () => {
    const { store, processor } = await inventory();
    await processor.process(step('inventory.release'));
    await processor.process(step('inventory.reserve'));
    await processor.process(step('inventory.reserve'));
    expect(await keyboards(store)).toBe(5);
    expect(await replies(store)).toEqual([
      { type: 'inventory.released' },
      { type: 'inventory.out-of-stock', reason: 'released before it was reserved' },
      { type: 'inventory.out-of-stock', reason: 'released before it was reserved' },
    ]);
  });

  it('a release after a reservation gives the stock back once, however often it is delivered', async () => {
    const { store, processor } = await inventory();
    await processor.process(step('inventory.reserve'));
    expect(await keyboards(store)).toBe(3);
    await processor.process(step('inventory.release'));
    await processor.process(step('inventory.release'));
    await processor.process(step('inventory.reserve'));
    expect(await keyboards(store)).toBe(5);
    expect((await replies(store)).map((reply) => reply.type)).toEqual([
      'inventory.reserved',
      'inventory.released',
      'inventory.released',
      'inventory.out-of-stock',
    ]);
  });
});
