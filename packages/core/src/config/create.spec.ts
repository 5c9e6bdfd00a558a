import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { afterAll, describe, expect, it } from 'vitest';
import { handler } from '../consumer/handler.js';
import { type CartEvent, cart } from '../domain/fixtures/cart.js';
import { projection } from '../projection/projection.js';
import { saga } from '../saga/saga.js';
import { createMemoryStore } from '../store/memory/store.js';
import { waitFor } from '../testing/wait.js';
import { createMemoryTransport } from '../transport/memory/memory-transport.js';
import { createEventloom } from './create.js';
import { ConfigError } from './errors.js';
import type { EventloomOptions } from './options.js';

type Receipt = { type: 'receipt.issued'; data: { items: number } };

const receipts = handler<CartEvent>({
  consumer: 'receipts',
  types: ['cart.checked-out'],
  handle: async (message, context) => {
    if (message.type !== 'cart.checked-out') return;
    await context.send({ type: 'receipt.issued', data: message.data, subject: message.subject! });
  },
});

const checkout = saga<{ receipted: boolean }, CartEvent | Receipt>({
  name: 'checkout',
  startedBy: ['cart.checked-out'],
  handles: ['receipt.issued'],
  correlate: (message) => message.subject,
  initialState: () => ({ receipted: false }),
  on: (state, message) =>
    message.type === 'receipt.issued' ? { state: { receipted: true }, status: 'completed' } : { state },
});

const itemsAdded = (name: string) =>
  projection<CartEvent>({
    name,
    types: ['cart.item-added'],
    collections: [name],
    apply: async (event, uow) => {
      if (event.type !== 'cart.item-added') return;
      const totals = uow.documents<{ qty: number }>(name);
      const current = (await totals.get('all'))?.value.qty ?? 0;
      await totals.put('all', { qty: current + event.data.qty });
    },
  });

const folder = mkdtempSync(join(tmpdir(), 'eventloom-config-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const wiring: EventloomOptions = {
  name: 'shop',
  topicPrefix: 'test.',
  aggregates: [cart],
  sagas: [checkout],
  handlers: [receipts],
  projections: [
    itemsAdded('inline-items'),
    { projection: itemsAdded('async-items'), mode: 'async', options: { pollIntervalMs: 20 } },
    { projection: itemsAdded('transport-items'), mode: 'transport' },
  ],
  relay: { pollIntervalMs: 20 },
};

async function qtyIn(app: Awaited<ReturnType<typeof createEventloom>>, collection: string): Promise<number> {
  const document = await app.store.transaction((uow) =>
    uow.documents<{ qty: number }>(collection).get('all'),
  );
  return document?.value.qty ?? 0;
}

describe.each([
  ['memory:', () => 'memory:'],
  ['sqlite: in a folder that does not exist yet', () => `sqlite:${join(folder, 'nested', 'app.db')}`],
])('createEventloom on %s', (_label, storeUrl) => {
  it('runs commands, handlers, sagas and projections in every mode, then stops gracefully', async () => {
    const app = await createEventloom({ ...wiring, store: storeUrl(), transport: 'memory:' });
    await app.start();
    await app.execute(cart, 'c1', { type: 'add-item', sku: 'A1', qty: 2 });
    await app.execute(cart, 'c1', { type: 'add-item', sku: 'B2', qty: 1 });
    expect(await qtyIn(app, 'inline-items')).toBe(3);
    const checkedOut = await app.execute(cart, 'c1', { type: 'check-out' });
    expect(E.isRight(checkedOut)).toBe(true);
    await waitFor(async () => (await app.sagas.get(checkout, 'cart-c1'))?.status === 'completed', {
      timeoutMs: 20_000,
    });
    await waitFor(async () => (await qtyIn(app, 'async-items')) === 3, { timeoutMs: 20_000 });
    await waitFor(async () => (await qtyIn(app, 'transport-items')) === 3, { timeoutMs: 20_000 });
    expect(await app.load(cart, 'c1')).toMatchObject({ version: 3, state: { open: false } });
    await Promise.all([app.stop(), app.stop()]);
    await app.stop();
    await expect(app.start()).rejects.toThrow('was stopped');
    await expect(app.store.streamVersion('cart-c1')).rejects.toThrow('closed');
  });
});

describe('createEventloom', () => {
  it('uses the store and transport it is given and leaves them open', async () => {
    const store = createMemoryStore();
    const transport = createMemoryTransport();
    const app = await createEventloom({ store, transport, aggregates: [cart] });
    await app.start();
    await app.execute(cart, 'c2', { type: 'add-item', sku: 'A1', qty: 1 });
    await app.stop();
    expect(await store.streamVersion('cart-c2')).toBe(1);
    await transport.publish([]);
  });

  it('creates the SQLite file and its folder, and runs with no handler at all', async () => {
    const path = join(folder, 'deeper', 'still', 'plain.db');
    const app = await createEventloom({ store: `sqlite:${path}?synchronous=NORMAL`, aggregates: [cart] });
    await app.start();
    expect(existsSync(path)).toBe(true);
    await app.stop();
  });

  it.each([
    [{ stores: 'memory:' }, 'stores'],
    [{ name: '' }, 'name'],
    [{ topicPrefix: 'a b' }, 'topicPrefix'],
    [{ store: 'redis://h' }, 'store'],
    [{ transport: 'kafka://' }, 'transport'],
    [{ aggregates: [cart, { ...cart }] }, 'aggregates[1].name'],
    [{ projections: [{ projection: itemsAdded('x'), mode: 'eager' }] }, 'projections[0].mode'],
    [{ projections: [itemsAdded('x'), itemsAdded('x')] }, 'projections[1].name'],
  ])('fails before opening anything on %j, naming %s', async (options, field) => {
    const creating = createEventloom({ store: 'memory:', ...(options as EventloomOptions) });
    await expect(creating).rejects.toThrow(ConfigError);
    await expect(creating).rejects.toMatchObject({ field });
  });

  it('names the field of a store or handler that is not one', async () => {
    await expect(createEventloom({ store: {} as never })).rejects.toThrow(
      'store: must be a URL or an object',
    );
    await expect(createEventloom({ store: 'memory:', handlers: [{} as never] })).rejects.toThrow(
      'handlers[0]: must be a MessageHandler',
    );
  });

  it('refuses a command on an aggregate it was not given', async () => {
    const app = await createEventloom({ store: 'memory:' });
    await expect(app.execute(cart, 'c3', { type: 'check-out' })).rejects.toThrow(
      "'cart' is not one of the aggregates of app 'eventloom' (none)",
    );
    await app.stop();
  });
});
