import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEnvelope } from '../envelope/create.js';
import type { JsonValue } from '../envelope/json.js';
import type { EventStore } from './contract.js';
import { createMemoryStore } from './memory/index.js';
import { EventSchema } from './schema.js';
import { openSqliteStore } from './sqlite/index.js';

// v1 `{ name: "First Last", qty }` → v2 `{ first, last, qty }` → v3 `{ first, last, quantity, unit }`
const toV2 = (data: JsonValue): JsonValue => {
  const { name, qty } = data as { name: string; qty: number };
  const [first = '', ...rest] = name.split(' ');
  return { first, last: rest.join(' '), qty };
};
const toV3 = (data: JsonValue): JsonValue => {
  const { first, last, qty } = data as { first: string; last: string; qty: number };
  return { first, last, quantity: qty, unit: 'piece' };
};
const schema = new EventSchema({
  knownTypes: ['line.added'],
  upcasters: [
    { type: 'line.added', fromVersion: 1, upcast: toV2 },
    { type: 'line.added', fromVersion: 2, upcast: toV3 },
  ],
});

const word = fc.stringMatching(/^[A-Za-z]{1,8}$/);
const line = fc.record({
  first: word,
  last: word,
  qty: fc.integer({ min: 1, max: 99 }),
  writtenAt: fc.constantFrom(1, 2, 3),
});

function shapeAt(version: number, l: { first: string; last: string; qty: number }): JsonValue {
  if (version === 1) return { name: `${l.first} ${l.last}`, qty: l.qty };
  if (version === 2) return { first: l.first, last: l.last, qty: l.qty };
  return { first: l.first, last: l.last, quantity: l.qty, unit: 'piece' };
}

const stores: Record<string, () => EventStore> = {
  memory: () => createMemoryStore({ schema }),
  sqlite: () => openSqliteStore({ path: ':memory:', schema }),
};

describe.each(Object.entries(stores))('upcasting on the %s store', (_name, open) => {
  it('reading a stream written in old shapes equals writing it in the current shape', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(line, { minLength: 1, maxLength: 12 }), async (lines) => {
        const store = open();
        try {
          const envelope = (data: JsonValue, schemaversion: number) =>
            createEnvelope({ type: 'line.added', data, subject: 'order-1', schemaversion });
          await store.transaction((uow) =>
            uow.append(
              'mixed',
              lines.map((l) => envelope(shapeAt(l.writtenAt, l), l.writtenAt)),
              'no-stream',
            ),
          );
          await store.transaction((uow) =>
            uow.append(
              'current',
              lines.map((l) => envelope(shapeAt(3, l), 3)),
              'no-stream',
            ),
          );
          const view = (events: Awaited<ReturnType<EventStore['readStream']>>) =>
            events.map((e) => ({ type: e.type, schemaversion: e.schemaversion, data: e.data }));
          const mixed = view(await store.readStream('mixed'));
          expect(mixed).toEqual(view(await store.readStream('current')));
          expect(view(await store.readStream('mixed', { direction: 'backwards' }))).toEqual(
            [...mixed].reverse(),
          );
          const fromLog = (await store.readAll()).filter((e) => e.streamId === 'mixed');
          expect(view(fromLog)).toEqual(mixed);
        } finally {
          await store.close();
        }
      }),
      { numRuns: process.env.CI ? 200 : 50 },
    );
  });
});
