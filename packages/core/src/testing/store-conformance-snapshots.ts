import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../envelope/json.js';
import { InvalidInputError } from '../errors.js';
import type { StoredEvent } from '../store/contract.js';
import { EventSchema } from '../store/schema.js';
import { anEvent, type OpenStore } from './store-conformance-fixtures.js';

const sum = (total: number, event: StoredEvent) => total + (event.data as { n: number }).n;

/** `item-added` v1 {code, quantity} → v2 {sku, qty} → v3 {sku, qty, unit}; `item-put` v1 became `item-added` v2. */
const cartSchema = () =>
  new EventSchema({
    upcasters: [
      {
        type: 'item-added',
        fromVersion: 1,
        upcast: (data) => {
          const { code, quantity } = data as { code: string; quantity: number };
          return { sku: code, qty: quantity };
        },
      },
      {
        type: 'item-added',
        fromVersion: 2,
        upcast: (data) => ({ ...(data as Record<string, JsonValue>), unit: 'each' }),
      },
      { type: 'item-put', fromVersion: 1, toType: 'item-added', upcast: (data) => data },
    ],
  });

export function describeSnapshots(open: OpenStore): void {
  describe('snapshots and upcasters (conformance 5)', () => {
    it('saves, replaces and loads the snapshot of a stream', async () => {
      const store = await open();
      await store.transaction(async (uow) => {
        await uow.append('s', [anEvent(), anEvent(), anEvent()], 'no-stream');
        await uow.saveSnapshot({ streamId: 's', version: 2, schemaversion: 1, state: { seen: 2 } });
      });
      expect(await store.loadSnapshot('s')).toEqual({
        streamId: 's',
        version: 2,
        schemaversion: 1,
        state: { seen: 2 },
      });
      await store.transaction((uow) =>
        uow.saveSnapshot({ streamId: 's', version: 3, schemaversion: 2, state: [3] }),
      );
      expect(await store.loadSnapshot('s')).toEqual({
        streamId: 's',
        version: 3,
        schemaversion: 2,
        state: [3],
      });
      expect(await store.loadSnapshot('no-such-stream')).toBeUndefined();
    });

    it('a snapshot saved in a rolled-back transaction is not kept', async () => {
      const store = await open();
      await store.transaction((uow) => uow.append('s', [anEvent()], 'no-stream'));
      const failed = store.transaction(async (uow) => {
        await uow.saveSnapshot({ streamId: 's', version: 1, schemaversion: 1, state: {} });
        throw new Error('rolled back');
      });
      await expect(failed).rejects.toThrow('rolled back');
      expect(await store.loadSnapshot('s')).toBeUndefined();
    });

    it('refuses a snapshot of a version the stream has not reached', async () => {
      const store = await open();
      await store.transaction((uow) => uow.append('s', [anEvent()], 'no-stream'));
      const ahead = store.transaction((uow) =>
        uow.saveSnapshot({ streamId: 's', version: 2, schemaversion: 1, state: {} }),
      );
      await expect(ahead).rejects.toThrow(InvalidInputError);
      await expect(ahead).rejects.toThrow(/snapshot\.version/);
    });

    it('state from snapshot plus tail equals state from the whole stream', async () => {
      const store = await open();
      const numbers = [3, 1, 4, 1, 5];
      await store.transaction(async (uow) => {
        await uow.append(
          'counter',
          numbers.slice(0, 3).map((n) => anEvent('added', { n })),
          'no-stream',
        );
        const state = (await uow.readStream('counter')).reduce(sum, 0);
        await uow.saveSnapshot({ streamId: 'counter', version: 3, schemaversion: 1, state });
      });
      await store.transaction((uow) =>
        uow.append(
          'counter',
          numbers.slice(3).map((n) => anEvent('added', { n })),
          3,
        ),
      );
      const snapshot = (await store.loadSnapshot('counter'))!;
      const tail = await store.readStream('counter', { fromVersion: snapshot.version + 1 });
      const fromSnapshot = tail.reduce(sum, snapshot.state as number);
      const fromScratch = (await store.readStream('counter')).reduce(sum, 0);
      expect(fromSnapshot).toBe(fromScratch);
      expect(fromScratch).toBe(14);
    });

    it('upcasters turn data written at an old schema version into the current shape on every read', async () => {
      const store = await open({ schema: cartSchema() });
      await store.transaction((uow) =>
        uow.append(
          'cart',
          [anEvent('item-added', { code: 'A1', quantity: 2 }, { schemaversion: 1 })],
          'no-stream',
        ),
      );
      const current = { sku: 'A1', qty: 2, unit: 'each' };
      const [fromStream] = await store.readStream('cart');
      const [fromAll] = await store.readAll();
      const [inTransaction] = await store.transaction((uow) => uow.readStream('cart'));
      for (const event of [fromStream, fromAll, inTransaction]) {
        expect(event).toMatchObject({ type: 'item-added', schemaversion: 3, data: current });
      }
    });

    it('an upcaster can rename an event type', async () => {
      const store = await open({ schema: cartSchema() });
      await store.transaction((uow) =>
        uow.append('cart', [anEvent('item-put', { sku: 'B2', qty: 1 }, { schemaversion: 1 })], 'no-stream'),
      );
      const [event] = await store.readStream('cart');
      expect(event).toMatchObject({
        type: 'item-added',
        schemaversion: 3,
        data: { sku: 'B2', qty: 1, unit: 'each' },
      });
    });

    it('data written at the current version is read unchanged', async () => {
      const store = await open({ schema: cartSchema() });
      const data = { sku: 'C3', qty: 5, unit: 'box' };
      await store.transaction((uow) =>
        uow.append('cart', [anEvent('item-added', data, { schemaversion: 3 })], 'any'),
      );
      expect((await store.readStream('cart'))[0]).toMatchObject({ schemaversion: 3, data });
    });
  });
}
