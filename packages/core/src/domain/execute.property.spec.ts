import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import type { EventStore } from '../store/contract.js';
import { createMemoryStore } from '../store/memory/index.js';
import { openSqliteStore } from '../store/sqlite/index.js';
import { decider, fold } from './decider.js';
import { CommandExecutor, type Executed } from './execute.js';
import { type CartCommand, type CartEvent, type CartState, cart } from './fixtures/cart.js';
import { loadAggregate } from './load.js';

const command: fc.Arbitrary<CartCommand> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      type: fc.constant('add-item' as const),
      sku: fc.constantFrom('A', 'B', 'C'),
      qty: fc.integer({ min: 1, max: 4 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ type: fc.constant('remove-item' as const), sku: fc.constantFrom('A', 'B', 'C') }),
  },
  { weight: 1, arbitrary: fc.constant({ type: 'check-out' as const }) },
);
const workload = fc.array(fc.record({ cart: fc.constantFrom('1', '2', '3'), command }), {
  minLength: 1,
  maxLength: 40,
});
const snapshotting = decider<CartCommand, CartEvent, CartState>({ ...cart, snapshot: { every: 3 } });

const stores: Record<string, () => EventStore> = {
  memory: () => createMemoryStore(),
  sqlite: () =>
    openSqliteStore({
      path: join(mkdtempSync(join(tmpdir(), 'eventloom-prop-')), 'p.db'),
      synchronous: 'NORMAL',
    }),
};

describe.each(Object.entries(stores))('concurrent commands on the %s store', (_name, open) => {
  it('leave every stream equal to a sequential run of the accepted commands, with or without snapshots', async () => {
    await fc.assert(
      fc.asyncProperty(workload, fc.boolean(), async (commands, withSnapshots) => {
        const store = open();
        try {
          const target = withSnapshots ? snapshotting : cart;
          const executor = new CommandExecutor(store);
          const results = await Promise.all(commands.map((c) => executor.execute(target, c.cart, c.command)));
          for (const id of ['1', '2', '3']) {
            const accepted = results
              .map((result, index) => ({ result, command: commands[index]! }))
              .filter(
                (r): r is { result: E.Right<Executed<CartState>>; command: (typeof commands)[number] } =>
                  r.command.cart === id && E.isRight(r.result),
              )
              .sort((a, b) => a.result.right.version - b.result.right.version);
            const stream = await store.readStream(`cart-${id}`);
            expect(stream.map((e) => e.version)).toEqual(stream.map((_, i) => i + 1));
            let model = cart.initialState();
            const modelEvents: CartEvent[] = [];
            for (const { command: c } of accepted) {
              const decision = cart.decide(c.command, model);
              if (E.isLeft(decision))
                throw new Error(`model rejects an accepted command: ${decision.left.reason}`);
              modelEvents.push(...decision.right);
              model = fold(cart, model, decision.right);
            }
            expect(stream.map((e) => ({ type: e.type, data: e.data }))).toEqual(modelEvents);
            expect((await loadAggregate(store, target, `cart-${id}`)).state).toEqual(model);
            expect((await loadAggregate(store, cart, `cart-${id}`)).state).toEqual(model);
          }
        } finally {
          await store.close();
        }
      }),
      { numRuns: process.env.CI ? 150 : 60 },
    );
  });
});
