import { decider, type Rejection, rejection } from '@eventloom/core';
import * as E from 'fp-ts/lib/Either.js';
import type { OrderLine, OrderRequest } from './order-request.js';

export type OrderEvent =
  | { type: 'order.placed'; data: OrderRequest }
  | { type: 'order.confirmed'; data: { orderId: string } }
  | { type: 'order.cancelled'; data: { orderId: string; reason: string } }
  | { type: 'order.shipped'; data: { orderId: string; trackingId: string } };

export type OrderCommand =
  | { type: 'place'; orderId: string; customer: string; lines: readonly OrderLine[]; card: string }
  | { type: 'confirm' }
  | { type: 'cancel'; reason: string }
  | { type: 'mark-shipped'; trackingId: string };

export type OrderStatus = 'new' | 'placed' | 'confirmed' | 'cancelled' | 'shipped';

export interface OrderState {
  readonly status: OrderStatus;
  readonly orderId: string;
  readonly trackingId?: string;
}

type Decision = E.Either<Rejection, readonly OrderEvent[]>;

const nothingToDo: Decision = E.right([]);

/**
 * An order: placed (which starts the OrderSaga), then confirmed by the saga's last step and
 * shipped, or cancelled. Confirming, cancelling and shipping twice changes nothing.
 */
export const order = decider<OrderCommand, OrderEvent, OrderState>({
  name: 'order',
  eventTypes: {
    'order.placed': true,
    'order.confirmed': true,
    'order.cancelled': true,
    'order.shipped': true,
  },
  initialState: () => ({ status: 'new', orderId: '' }),
  evolve: (state, event) => {
    switch (event.type) {
      case 'order.placed':
        return { status: 'placed', orderId: event.data.orderId };
      case 'order.confirmed':
        return { ...state, status: 'confirmed' };
      case 'order.cancelled':
        return { ...state, status: 'cancelled' };
      case 'order.shipped':
        return { ...state, status: 'shipped', trackingId: event.data.trackingId };
    }
  },
  decide: (command, state) => {
    switch (command.type) {
      case 'place':
        return place(command, state);
      case 'confirm':
        return confirm(state);
      case 'cancel':
        return cancel(state, command.reason);
      case 'mark-shipped':
        return markShipped(state, command.trackingId);
    }
  },
});

function place(command: Extract<OrderCommand, { type: 'place' }>, state: OrderState): Decision {
  if (state.status !== 'new') return E.left(rejection('already-placed'));
  if (command.lines.length === 0) return E.left(rejection('no-lines'));
  const { orderId, customer, lines, card } = command;
  const total = lines.reduce((sum, line) => sum + line.qty * line.price, 0);
  return E.right([{ type: 'order.placed', data: { orderId, customer, lines, total, card } }]);
}

function confirm(state: OrderState): Decision {
  if (state.status === 'placed')
    return E.right([{ type: 'order.confirmed', data: { orderId: state.orderId } }]);
  if (state.status === 'confirmed' || state.status === 'shipped') return nothingToDo;
  return E.left(rejection(state.status === 'new' ? 'no-such-order' : 'order-cancelled'));
}

function cancel(state: OrderState, reason: string): Decision {
  if (state.status === 'placed' || state.status === 'confirmed') {
    return E.right([{ type: 'order.cancelled', data: { orderId: state.orderId, reason } }]);
  }
  if (state.status === 'cancelled') return nothingToDo;
  return E.left(rejection(state.status === 'new' ? 'no-such-order' : 'already-shipped'));
}

function markShipped(state: OrderState, trackingId: string): Decision {
  if (state.status === 'confirmed') {
    return E.right([{ type: 'order.shipped', data: { orderId: state.orderId, trackingId } }]);
  }
  return state.status === 'shipped' ? nothingToDo : E.left(rejection('not-confirmed'));
}
