import { describe, expect, it } from 'vitest';
import { spec } from '../testing/spec.js';
import { cart } from './fixtures/cart.js';

describe('spec(decider) given/when/then', () => {
  it('accepts a command with exactly the expected events and returns the new state', () => {
    const state = spec(cart)
      .given([{ type: 'cart.item-added', data: { sku: 'A1', qty: 2 } }])
      .when({ type: 'add-item', sku: 'A1', qty: 3 })
      .then([{ type: 'cart.item-added', data: { sku: 'A1', qty: 3 } }]);
    expect(state.items).toEqual({ A1: 5 });
  });

  it('reports a rejection by reason and details', () => {
    spec(cart)
      .given([{ type: 'cart.checked-out', data: { items: 0 } }])
      .when({ type: 'add-item', sku: 'A1', qty: 1 })
      .thenRejects('cart-closed');
    spec(cart)
      .given([{ type: 'cart.item-added', data: { sku: 'A1', qty: 9 } }])
      .when({ type: 'add-item', sku: 'B2', qty: 2 })
      .thenRejects('cart-full', { total: 9, adding: 2 });
  });

  it('fails when the events differ, when a rejection was expected, or when given a foreign event', () => {
    const when = spec(cart).given([]).when({ type: 'check-out' });
    expect(() => when.then([{ type: 'cart.checked-out', data: { items: 1 } }])).toThrow(
      /deepStrictEqual|Expected/,
    );
    expect(() => when.thenRejects('cart-closed')).toThrow(/expected rejection 'cart-closed'/);
    expect(() =>
      spec(cart)
        // @ts-expect-error a type outside the union is a compile error too
        .given([{ type: 'cart.exploded', data: {} }]),
    ).toThrow(/'cart.exploded' is not an event of 'cart'/);
  });
});
