import { describe, expect, it } from 'vitest';
import { createEnvelope } from '../envelope/create.js';
import type { Envelope } from '../envelope/envelope.js';
import { orderSaga } from '../testing/saga-order.js';
import { elapse, sagaSpec } from '../testing/saga-spec.js';
import { SAGA_FAILED_TYPE } from './engine.js';
import { derivedId } from './ids.js';
import type { OrchestrationState } from './orchestration/definition.js';
import { sagaTimeoutType } from './timers.js';

const order = { orderId: 'o-1', amount: 42 };
const placed = createEnvelope({ type: 'order.placed', data: order, subject: 'order-o-1', id: 'placed-1' });
const reply = (type: string, data: object = {}): Envelope =>
  createEnvelope({ type, data, subject: 'o-1', partitionkey: 'o-1' });
const spec = () => sagaSpec(orderSaga);
const forward = [placed, reply('inventory.reserved'), reply('payment.processed')];

describe('orchestration: the OrderSaga', () => {
  it('starts with the first action, keyed by the saga id, and its deadline set', async () => {
    const { sent, record } = await spec()
      .given()
      .when(placed)
      .then({
        sent: [{ type: 'inventory.reserve', data: order }],
        status: 'running',
        timers: ['step:reserve-inventory'],
      });
    expect(sent[0]).toMatchObject({ subject: 'o-1', partitionkey: 'o-1', causationid: 'placed-1' });
    expect(sent[0]?.id).toBe(derivedId('order-saga', 'placed-1', 'send', 0));
    expect(record.history.map((entry) => entry.outcome)).toEqual(['started']);
  });

  it('completes after the last reply, sending nothing more and cancelling every timer', async () => {
    const { record } = await spec()
      .given(...forward)
      .when(reply('order.created', { orderNumber: 7 }))
      .then({ sent: [], status: 'completed', timers: [] });
    const state = record.state as OrchestrationState;
    expect(state.completed).toEqual(['reserve-inventory', 'process-payment', 'create-order']);
    expect(state.replies['create-order']).toEqual({ orderNumber: 7 });
    expect(record.endedAt).toBeDefined();
  });

  it('a rejection at the first step ends compensated with nothing to undo', async () => {
    await spec()
      .given(placed)
      .when(reply('inventory.out-of-stock', { reason: 'sold out' }))
      .then({ sent: [], status: 'compensated', timers: [] });
  });

  it('a declined payment releases the inventory, then ends compensated once the release is confirmed', async () => {
    await spec()
      .given(placed, reply('inventory.reserved'))
      .when(reply('payment.declined', { reason: 'card expired' }))
      .then({ sent: [{ type: 'inventory.release', data: order }], status: 'compensating' });
    const { record } = await spec()
      .given(placed, reply('inventory.reserved'), reply('payment.declined', { reason: 'card expired' }))
      .when(reply('inventory.released'))
      .then({ sent: [], status: 'compensated', timers: [] });
    expect(record.reason).toBe('process-payment failed: payment.declined: card expired');
  });

  it('a rejected order compensates the completed steps in reverse order, one at a time', async () => {
    const failed = [...forward, reply('order.rejected')];
    await spec()
      .given(...forward)
      .when(reply('order.rejected'))
      .then({ sent: [{ type: 'payment.refund', data: order }] });
    await spec()
      .given(...failed)
      .when(reply('payment.refunded'))
      .then({ sent: [{ type: 'inventory.release', data: order }] });
    const { record } = await spec()
      .given(...failed, reply('payment.refunded'))
      .when(reply('inventory.released'))
      .then({ status: 'compensated' });
    expect((record.state as OrchestrationState).compensated).toEqual([
      'process-payment',
      'reserve-inventory',
    ]);
  });

  it('a step that times out is compensated first, as it may have taken effect', async () => {
    await spec()
      .given(placed, reply('inventory.reserved'))
      .when(elapse(30_000))
      .then({
        sent: [{ type: 'payment.refund', data: order }],
        status: 'compensating',
        timers: ['compensation:process-payment'],
      });
  });

  it('a deadline not yet reached fires nothing', async () => {
    await spec().given(placed).when(elapse(29_999)).then({ sent: [], status: 'running' });
  });

  it('a failing compensation is retried with backoff, then the saga ends failed and raises an alert', async () => {
    const compensating = [placed, reply('inventory.reserved'), reply('payment.declined')];
    const failure = reply('inventory.release-failed', { reason: 'warehouse offline' });
    await spec()
      .given(...compensating)
      .when(failure)
      .then({ sent: [], status: 'compensating', timers: ['retry:reserve-inventory'] });
    await spec()
      .given(...compensating, failure)
      .when(elapse(60_000))
      .then({
        sent: [{ type: 'inventory.release', data: order }],
        timers: ['compensation:reserve-inventory'],
      });
    const fourRetries = [1, 2, 3, 4].flatMap(() => [reply('inventory.release-failed'), elapse(60_000)]);
    const { sent, record } = await spec()
      .given(...compensating, ...fourRetries)
      .when(failure)
      .then({ status: 'failed', timers: [] });
    expect(sent.map((message) => message.type)).toEqual([SAGA_FAILED_TYPE]);
    expect(sent[0]?.data).toMatchObject({ saga: 'order-saga', sagaId: 'o-1' });
    expect(record.reason).toMatch(
      /^compensation of reserve-inventory failed 5 times, last: inventory.release-failed/,
    );
  });

  it('a second failure reply during the backoff is ignored: one retry, one more attempt', async () => {
    const failed = reply('inventory.release-failed');
    const { record } = await spec()
      .given(placed, reply('inventory.reserved'), reply('payment.declined'), failed)
      .when(reply('inventory.release-failed'))
      .then({ sent: [], status: 'compensating', timers: ['retry:reserve-inventory'] });
    expect(record.history.at(-1)?.outcome).toBe('ignored');
    expect((record.state as OrchestrationState).attempt).toBe(1);
  });

  it('a confirmation from an earlier attempt that arrives during the backoff completes the compensation', async () => {
    await spec()
      .given(
        placed,
        reply('inventory.reserved'),
        reply('payment.declined'),
        reply('inventory.release-failed'),
      )
      .when(reply('inventory.released'))
      .then({ sent: [], status: 'compensated', timers: [] });
  });

  it('a duplicate reply (new id) for a step already done is ignored and recorded', async () => {
    const { record } = await spec()
      .given(placed, reply('inventory.reserved'))
      .when(reply('inventory.reserved'))
      .then({ sent: [], status: 'running', timers: ['step:process-payment'] });
    expect(record.history.map((entry) => entry.outcome)).toEqual(['started', 'handled', 'ignored']);
  });

  it('messages for an ended saga are acknowledged and recorded, not errors', async () => {
    const { record } = await spec()
      .given(placed, reply('inventory.out-of-stock'))
      .when(reply('inventory.reserved'))
      .then({ sent: [], status: 'compensated' });
    expect(record.history.at(-1)).toMatchObject({ type: 'inventory.reserved', outcome: 'after-end' });
  });

  it('a timer that was cancelled but fires anyway is ignored', async () => {
    const token = derivedId('order-saga', placed.id, 'timer', 'step:reserve-inventory');
    const cancelledTimer = createEnvelope({
      type: sagaTimeoutType('order-saga'),
      id: token,
      data: { saga: 'order-saga', sagaId: 'o-1', name: 'step:reserve-inventory', data: null },
    });
    const { record } = await spec()
      .given(placed, reply('inventory.reserved'))
      .when(cancelledTimer)
      .then({ sent: [], status: 'running' });
    expect(record.history.at(-1)?.outcome).toBe('stale-timeout');
  });
});
