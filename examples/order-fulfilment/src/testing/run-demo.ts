import type { EventloomOptions } from '@eventloom/core';
import { openSystem } from '@eventloom/example-kit';
import { expect } from 'vitest';
import { order } from '../domain/order.js';
import { awaitOutcome, placeOrders, surprises } from '../scenario.js';
import { orderFulfilment, type Timing } from '../services/index.js';
import { OPENING_STOCK, stockLevels } from '../services/inventory.js';
import { paymentsOf } from '../services/payment.js';

/** The demo's timing, with room for a broker round trip on a loaded machine. */
export const BROKER_TIMING: Timing = {
  paymentTimeoutMs: 5_000,
  stepTimeoutMs: 30_000,
  slowBankAnswerMs: 7_000,
};
/** In one process on the in-memory transport, a round trip takes milliseconds. */
export const IN_MEMORY_TIMING: Timing = {
  paymentTimeoutMs: 1_500,
  stepTimeoutMs: 30_000,
  slowBankAnswerMs: 2_500,
};

/**
 * Runs the whole shop in one app on `config` and checks the demo's outcome end to end: each
 * saga's ending, what every service holds afterwards, and what a late bank answer changed (nothing).
 */
export async function runDemoAndCheck(config: EventloomOptions, timing = BROKER_TIMING): Promise<void> {
  const app = await openSystem(orderFulfilment(timing), { config });
  try {
    const orders = await placeOrders(app);
    const outcome = (await awaitOutcome(app, orders, undefined, 90_000))!;
    expect(surprises(orders, outcome)).toEqual([]);
    const [ada, grace, alan, linus] = orders.map((placed) => placed.orderId);
    expect(outcome.map((row) => row.reason)).toEqual([
      undefined,
      'process-payment failed: payment.declined: insufficient funds',
      'reserve-inventory failed: inventory.out-of-stock: 0 gpu left, 1 wanted',
      'process-payment failed: timed out',
    ]);
    expect((await app.load(order, ada!)).state).toMatchObject({
      status: 'shipped',
      trackingId: expect.stringMatching(/^TRK-/),
    });
    expect((await app.load(order, alan!)).state.status).toBe('placed');
    expect(await stockLevels(app)).toEqual({
      ...OPENING_STOCK,
      keyboard: OPENING_STOCK.keyboard! - 1,
      mouse: OPENING_STOCK.mouse! - 1,
    });
    const payments = await paymentsOf(app, [ada!, grace!, alan!, linus!]);
    expect(Object.fromEntries(payments)).toEqual({
      [ada!]: { status: 'captured', amount: 118_00, captured: 118_00, answerDue: false },
      [grace!]: { status: 'declined', amount: 319_00, captured: 0, answerDue: false },
      [linus!]: { status: 'refunded', amount: 89_00, captured: 0, answerDue: false, lateAnswer: true },
    });
  } finally {
    await app.stop();
  }
}
