import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { afterEach, describe, expect, it } from 'vitest';
import { ConcurrencyError, UnknownEventTypeError } from '../errors.js';
import type { EventStore, UnitOfWork } from '../store/contract.js';
import { createMemoryStore } from '../store/memory/index.js';
import { openSqliteStore } from '../store/sqlite/index.js';
import { decider } from './decider.js';
import { CommandExecutor } from './execute.js';
import { type CartCommand, type CartEvent, type CartState, cart } from './fixtures/cart.js';

const stores: Record<string, () => Promise<EventStore>> = {
  memory: async () => createMemoryStore(),
  sqlite: async () => openSqliteStore({ path: join(mkdtempSync(join(tmpdir(), 'eventloom-')), 'app.db') }),
};

describe.each(Object.entries(stores))('command execution on the %s store', (_name, open) => {
  let store: EventStore;
  afterEach(async () => store?.close());

  it('appends the decided events with correlation and causation from the command', async () => {
    store = await open();
    const executor = new CommandExecutor(store);
    const first = await executor.execute(
      cart,
      '42',
      { type: 'add-item', sku: 'A1', qty: 2 },
      { commandId: 'cmd-1' },
    );
    const second = await executor.execute(cart, '42', { type: 'add-item', sku: 'B2', qty: 1 });
    expect(E.isRight(first) && first.right.version).toBe(1);
    expect(E.isRight(second) && second.right.state.items).toEqual({ A1: 2, B2: 1 });
    const events = await store.readStream('cart-42');
    expect(events.map((e) => [e.version, e.type, e.subject, e.partitionkey, e.source])).toEqual([
      [1, 'cart.item-added', 'cart-42', 'cart-42', 'cart'],
      [2, 'cart.item-added', 'cart-42', 'cart-42', 'cart'],
    ]);
    expect(events[0]).toMatchObject({
      correlationid: 'cmd-1',
      causationid: 'cmd-1',
      data: { sku: 'A1', qty: 2 },
    });
    expect(events[1]?.correlationid).not.toBe('cmd-1');
  });

  it('returns a rejection as a value and writes nothing', async () => {
    store = await open();
    const executor = new CommandExecutor(store);
    await executor.execute(cart, '1', { type: 'check-out' });
    const result = await executor.execute(cart, '1', { type: 'add-item', sku: 'A1', qty: 1 });
    expect(result).toEqual(E.left({ kind: 'rejection', reason: 'cart-closed' }));
    expect(await store.streamVersion('cart-1')).toBe(1);
  });

  it('returns a conflict at once when the caller pinned a stale version', async () => {
    store = await open();
    const executor = new CommandExecutor(store);
    await executor.execute(cart, '7', { type: 'add-item', sku: 'A1', qty: 1 });
    const result = await executor.execute(
      cart,
      '7',
      { type: 'add-item', sku: 'A1', qty: 1 },
      { expectedVersion: 0 },
    );
    expect(result).toMatchObject(E.left({ kind: 'conflict', streamId: 'cart-7', actual: 1, attempts: 1 }));
    expect(await store.streamVersion('cart-7')).toBe(1);
  });

  it('throws a typed error, writing nothing, when decide returns an event outside the catalog', async () => {
    store = await open();
    const rogue = decider<CartCommand, CartEvent, CartState>({
      ...cart,
      decide: () => E.right([{ type: 'cart.exploded', data: {} } as unknown as CartEvent]),
    });
    await expect(new CommandExecutor(store).execute(rogue, '1', { type: 'check-out' })).rejects.toThrow(
      UnknownEventTypeError,
    );
    expect(await store.streamVersion('cart-1')).toBe(0);
  });

  it('throws a typed error when a stream holds an event the decider does not know', async () => {
    store = await open();
    const executor = new CommandExecutor(store);
    await executor.execute(cart, '3', { type: 'add-item', sku: 'A1', qty: 1 });
    const narrow = decider<CartCommand, CartEvent, CartState>({
      ...cart,
      eventTypes: { 'cart.checked-out': true } as typeof cart.eventTypes,
    });
    await expect(executor.execute(narrow, '3', { type: 'check-out' })).rejects.toThrow(
      /unknown event type 'cart.item-added' in stream 'cart-3'/,
    );
  });

  it('saves snapshots every N events and loads the same state with or without them', async () => {
    store = await open();
    const snapshotting = decider<CartCommand, CartEvent, CartState>({ ...cart, snapshot: { every: 3 } });
    const executor = new CommandExecutor(store);
    for (let i = 0; i < 7; i++)
      await executor.execute(snapshotting, '9', { type: 'add-item', sku: `S${i % 3}`, qty: 1 });
    expect(await store.loadSnapshot('cart-9')).toMatchObject({ version: 6 });
    const withSnapshot = await executor.execute(snapshotting, '9', { type: 'remove-item', sku: 'S0' });
    const without = await executor.execute(cart, '9', { type: 'remove-item', sku: 'S1' });
    expect(E.isRight(withSnapshot) && withSnapshot.right.state.items).toEqual({ S1: 2, S2: 2 });
    expect(E.isRight(without) && without.right.state.items).toEqual({ S2: 2 });
  });
});

describe('conflict retry', () => {
  it('reloads and retries after a version conflict, then gives up with a conflict', async () => {
    const store = createMemoryStore();
    const conflicts = { left: 2 };
    const flaky = conflictingStore(store, conflicts);
    const executor = new CommandExecutor(flaky, {
      maxConflictRetries: 2,
      conflictBackoff: { initialMs: 1, maxMs: 2, multiplier: 2 },
    });
    expect(E.isRight(await executor.execute(cart, '1', { type: 'check-out' }))).toBe(true);
    conflicts.left = 10;
    const result = await executor.execute(cart, '2', { type: 'check-out' });
    expect(result).toMatchObject(E.left({ kind: 'conflict', streamId: 'cart-2', attempts: 3 }));
    await store.close();
  });
});

/** A store whose next `left.left` appends lose a race to a writer in another process. */
function conflictingStore(store: EventStore, left: { left: number }): EventStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property !== 'transaction') return Reflect.get(target, property, receiver);
      return <T>(work: (uow: UnitOfWork) => Promise<T>) =>
        target.transaction((uow) =>
          work(
            new Proxy(uow, {
              get(inner, key, innerReceiver) {
                if (key !== 'append' || left.left <= 0) return Reflect.get(inner, key, innerReceiver);
                return async (streamId: string) => {
                  left.left -= 1;
                  throw new ConcurrencyError(streamId, '0', 1);
                };
              },
            }),
          ),
        );
    },
  });
}
