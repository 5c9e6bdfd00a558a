import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { ConsumerRuntime } from '../consumer/runtime.js';
import { CommandExecutor } from '../domain/execute.js';
import { type CartEvent, cart } from '../domain/fixtures/cart.js';
import { enqueueAppendedEvents } from '../outbox/enqueue-hook.js';
import { OutboxRelay } from '../outbox/relay.js';
import type { EventStore } from '../store/contract.js';
import { createMemoryStore } from '../store/memory/index.js';
import { openSqliteStore } from '../store/sqlite/index.js';
import { anEvent, gate } from '../testing/store-conformance-fixtures.js';
import { waitFor } from '../testing/wait.js';
import { createMemoryTransport } from '../transport/memory/index.js';
import { AsyncProjection } from './async.js';
import { rebuildProjection } from './catch-up.js';
import { inlineProjection } from './inline.js';
import { projection } from './projection.js';
import { projectionHandler } from './subscribed.js';

const stores: Record<string, () => EventStore> = {
  memory: () => createMemoryStore(),
  sqlite: () => openSqliteStore({ path: ':memory:' }),
};

/** Items per cart: the read model of the tests. */
const cartItems = projection<CartEvent>({
  name: 'cart-items',
  types: ['cart.item-added', 'cart.item-removed'],
  collections: ['cart-items'],
  async apply(event, uow) {
    const items = uow.documents<number>('cart-items');
    const id = event.subject ?? '?';
    const current = (await items.get(id))?.value ?? 0;
    await items.put(id, event.type === 'cart.item-added' ? current + event.data.qty : current - 1);
  },
});

async function itemsOf(store: EventStore, cartId: string): Promise<number | undefined> {
  return store.transaction(
    async (uow) => (await uow.documents<number>('cart-items').get(`cart-${cartId}`))?.value,
  );
}

describe.each(Object.entries(stores))('projections on the %s store', (_name, open) => {
  it('inline: written in the append’s transaction; a rejected or failing command writes nothing', async () => {
    const store = open();
    const failing = async () => {
      throw new Error('hook after the projection fails');
    };
    const executor = new CommandExecutor(store, { afterAppend: [inlineProjection(cartItems)] });
    await executor.execute(cart, '1', { type: 'add-item', sku: 'A', qty: 2 });
    expect(await itemsOf(store, '1')).toBe(2);
    expect(E.isLeft(await executor.execute(cart, '1', { type: 'add-item', sku: 'A', qty: 50 }))).toBe(true);
    const broken = new CommandExecutor(store, { afterAppend: [inlineProjection(cartItems), failing] });
    await expect(broken.execute(cart, '1', { type: 'add-item', sku: 'B', qty: 1 })).rejects.toThrow(
      'hook after',
    );
    expect(await itemsOf(store, '1')).toBe(2);
    await store.close();
  });

  it('async: follows the global log with its checkpoint, and rebuilds from zero to the same state', async () => {
    const store = open();
    const executor = new CommandExecutor(store);
    for (let n = 0; n < 12; n++)
      await executor.execute(cart, String(n % 3), { type: 'add-item', sku: 'A', qty: 1 });
    const runner = new AsyncProjection(store, cartItems, { batchSize: 5, pollIntervalMs: 10 });
    runner.start();
    await waitFor(async () => (await itemsOf(store, '2')) === 4, { timeoutMs: 5_000 });
    await executor.execute(cart, '2', { type: 'remove-item', sku: 'A' });
    await waitFor(async () => (await itemsOf(store, '2')) === 3, { timeoutMs: 5_000 });
    expect(await runner.rebuild()).toBe(13);
    expect([await itemsOf(store, '0'), await itemsOf(store, '1'), await itemsOf(store, '2')]).toEqual([
      4, 4, 3,
    ]);
    await runner.stop();
  });

  it('async: a transaction that commits after a later one is not skipped', async () => {
    const store = open();
    const runner = new AsyncProjection(store, cartItems, { batchSize: 100, pollIntervalMs: 5 });
    const appended = gate();
    const release = gate();
    const slow = store.transaction(async (uow) => {
      await uow.append(
        'cart-slow',
        [anEvent('cart.item-added', { sku: 'A', qty: 1 }, { subject: 'cart-slow' })],
        'any',
      );
      appended.open();
      await release.opened;
    });
    await appended.opened;
    const fast = store.transaction((uow) =>
      uow.append(
        'cart-fast',
        [anEvent('cart.item-added', { sku: 'A', qty: 1 }, { subject: 'cart-fast' })],
        'any',
      ),
    );
    const caughtUpWhileOpen = runner.catchUp();
    release.open();
    await Promise.all([slow, fast, caughtUpWhileOpen]);
    await runner.catchUp();
    expect([await itemsOf(store, 'slow'), await itemsOf(store, 'fast')]).toEqual([1, 1]);
    await runner.stop();
    await store.close();
  });

  it('async: a second runner of the same projection stands by while the first holds the lease', async () => {
    const store = open();
    await new CommandExecutor(store).execute(cart, '1', { type: 'add-item', sku: 'A', qty: 1 });
    const first = new AsyncProjection(store, cartItems, { pollIntervalMs: 5 });
    const second = new AsyncProjection(store, cartItems, { pollIntervalMs: 5 });
    expect(await first.catchUp()).toBe(1);
    await expect(second.catchUp()).rejects.toThrow('another runner holds');
    await first.stop();
    expect(await second.catchUp()).toBe(1);
    expect(await itemsOf(store, '1')).toBe(1);
    await second.stop();
    await store.close();
  });

  it('rebuildProjection replays an inline projection’s read model from zero', async () => {
    const store = open();
    const executor = new CommandExecutor(store, { afterAppend: [inlineProjection(cartItems)] });
    await executor.execute(cart, '1', { type: 'add-item', sku: 'A', qty: 3 });
    await store.transaction((uow) => uow.documents('cart-items').put('cart-1', 999));
    expect(await rebuildProjection(store, cartItems, 1)).toBe(1);
    expect(await itemsOf(store, '1')).toBe(3);
    await store.close();
  });

  it('through a transport: each event applied once with its inbox claim', async () => {
    const store = open();
    const transport = createMemoryTransport();
    const executor = new CommandExecutor(store, { afterAppend: [enqueueAppendedEvents()] });
    const relay = new OutboxRelay(store, { transport, pollIntervalMs: 10 });
    const consumer = new ConsumerRuntime({
      store,
      transport,
      group: 'read-models',
      handlers: [projectionHandler(cartItems)],
      subscription: { ackTimeoutMs: 1_000, retryBackoff: { initialMs: 1, maxMs: 5, multiplier: 2 } },
      inbox: false,
    });
    relay.start();
    await consumer.start();
    for (let n = 0; n < 6; n++) await executor.execute(cart, '1', { type: 'add-item', sku: 'A', qty: 1 });
    await waitFor(async () => (await itemsOf(store, '1')) === 6, { timeoutMs: 5_000 });
    await relay.stop();
    await consumer.stop();
    await store.close();
  });

  it('names the invalid field at construction', () => {
    const store = open();
    expect(() => new AsyncProjection(store, cartItems, { batchSize: 0 })).toThrow(
      'asyncProjection.batchSize',
    );
    expect(() => projection({ ...cartItems, types: [] })).toThrow('projection.types');
    expect(() => inlineProjection({ ...cartItems, name: '' })).toThrow('projection.name');
  });
});
