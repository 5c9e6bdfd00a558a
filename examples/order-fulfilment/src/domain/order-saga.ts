import { orchestration, streamIdOf } from '@eventloom/core';
import { order } from './order.js';
import type { OrderPlaced } from './order-request.js';

export interface SagaTiming {
  /** How long the saga waits for the payment service before compensating. */
  readonly paymentTimeoutMs: number;
  /** How long it waits for inventory and for the order's confirmation. */
  readonly stepTimeoutMs: number;
}

/**
 * The OrderSaga: reserve inventory → process payment → create (confirm) the order. When a step
 * fails or times out, the steps done so far are undone in reverse: cancel the order, refund the
 * payment, release the inventory. Its id is the order's stream id, which every message of the
 * order carries as subject (services answer with `replyTo`).
 */
// biome-ignore format: one line per step and one per compensation read as the table they are
export const orderSaga = (timing: SagaTiming) =>
  orchestration<OrderPlaced>({
    name: 'order-saga',
    startedBy: 'order.placed',
    sagaId: (placed) => streamIdOf(order, placed.data.orderId),
    steps: [
      { name: 'reserve-inventory', send: 'inventory.reserve', completedBy: 'inventory.reserved', failedBy: 'inventory.out-of-stock', timeoutMs: timing.stepTimeoutMs,
        compensate: 'inventory.release', compensatedBy: 'inventory.released' },
      { name: 'process-payment', send: 'payment.process', completedBy: 'payment.processed', failedBy: 'payment.declined', timeoutMs: timing.paymentTimeoutMs,
        compensate: 'payment.refund', compensatedBy: 'payment.refunded' },
      { name: 'create-order', send: 'order.confirm', completedBy: 'order.confirmed', failedBy: 'order.rejected', timeoutMs: timing.stepTimeoutMs,
        compensate: 'order.cancel', compensatedBy: 'order.cancelled', compensationFailedBy: 'order.cancel-failed' },
    ],
  });
