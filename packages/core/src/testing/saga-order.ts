import type { DomainEvent } from '../domain/decider.js';
import type { OrchestrationDefinition } from '../saga/orchestration/definition.js';
import { orchestration } from '../saga/orchestration/orchestration.js';

export type OrderPlaced = DomainEvent<'order.placed', { readonly orderId: string; readonly amount: number }>;

/** The OrderSaga of the seeds; each service answers its command with `replyTo`, on the saga's key. */
// biome-ignore format: one line per step and one per compensation read as the table they are
export const orderSagaDefinition: OrchestrationDefinition<OrderPlaced> = {
  name: 'order-saga',
  startedBy: 'order.placed',
  sagaId: (placed) => placed.data.orderId,
  steps: [
    { name: 'reserve-inventory', send: 'inventory.reserve', completedBy: 'inventory.reserved', failedBy: 'inventory.out-of-stock', timeoutMs: 30_000,
      compensate: 'inventory.release', compensatedBy: 'inventory.released', compensationFailedBy: 'inventory.release-failed' },
    { name: 'process-payment', send: 'payment.process', completedBy: 'payment.processed', failedBy: 'payment.declined', timeoutMs: 30_000,
      compensate: 'payment.refund', compensatedBy: 'payment.refunded', compensationFailedBy: 'payment.refund-failed' },
    { name: 'create-order', send: 'order.create', completedBy: 'order.created', failedBy: 'order.rejected', timeoutMs: 30_000,
      compensate: 'order.cancel', compensatedBy: 'order.cancelled', compensationFailedBy: 'order.cancel-failed' },
  ],
};

export const orderSaga = orchestration(orderSagaDefinition);
