import { type HandlerContext, handler, replyTo } from '@eventloom/core';
import type { Service } from '@eventloom/example-kit';
import * as E from 'fp-ts/lib/Either.js';
import { type OrderCommand, order } from '../domain/order.js';
import type { OrderRequest } from '../domain/order-request.js';
import { orderSaga, type SagaTiming } from '../domain/order-saga.js';

type OrderServiceMessage =
  | { type: 'order.confirm'; data: OrderRequest }
  | { type: 'order.cancel'; data: OrderRequest }
  | { type: 'shipment.dispatched'; data: { orderId: string; trackingId: string } };

/**
 * The order service runs the Order aggregate for the saga and for shipping. Its events answer
 * the saga; a refusal is answered with `order.rejected` or `order.cancel-failed`, and a second
 * cancel is confirmed again, so that a compensation the saga retries always gets an answer.
 */
export const orderService = handler<OrderServiceMessage>({
  consumer: 'order-service',
  types: ['order.confirm', 'order.cancel', 'shipment.dispatched'],
  handle: async (message, context) => {
    switch (message.type) {
      case 'order.confirm':
        return run(context, message.data.orderId, { type: 'confirm' }, 'order.rejected');
      case 'order.cancel':
        return run(
          context,
          message.data.orderId,
          { type: 'cancel', reason: 'order saga compensated' },
          'order.cancel-failed',
          'order.cancelled',
        );
      case 'shipment.dispatched':
        return run(context, message.data.orderId, {
          type: 'mark-shipped',
          trackingId: message.data.trackingId,
        });
    }
  },
});

/** Executes `command`; answers a refusal with `refused`, and a command that changed nothing with `unchanged`. */
async function run(
  context: HandlerContext,
  orderId: string,
  command: OrderCommand,
  refused?: string,
  unchanged?: string,
): Promise<void> {
  const result = await context.execute(order, orderId, command);
  const answer = E.isLeft(result) ? refused : result.right.events.length === 0 ? unchanged : undefined;
  const reason = E.isRight(result)
    ? 'already done'
    : result.left.kind === 'rejection'
      ? result.left.reason
      : 'conflict';
  if (answer !== undefined)
    await context.send(replyTo(context.message, { type: answer, data: { orderId, reason } }));
}

export const ordersService = (timing: SagaTiming): Service => ({
  name: 'orders',
  aggregates: [order],
  sagas: [orderSaga(timing)],
  handlers: [orderService],
});
