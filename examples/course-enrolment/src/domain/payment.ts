import { decider, rejection } from '@eventloom/core';
import * as E from 'fp-ts/lib/Either.js';
import type { Purchase, Refusal } from './purchase.js';

export type PaymentEvent =
  | { type: 'payment.captured'; data: Purchase }
  | { type: 'payment.refund-issued'; data: Refusal };

export type PaymentCommand = { type: 'capture'; purchase: Purchase } | { type: 'refund'; reason: string };

export interface PaymentState {
  readonly status: 'none' | 'captured' | 'refunded';
  readonly purchase?: Purchase;
}

/** A course payment: captured once, refunded at most once. */
export const payment = decider<PaymentCommand, PaymentEvent, PaymentState>({
  name: 'payment',
  eventTypes: { 'payment.captured': true, 'payment.refund-issued': true },
  initialState: () => ({ status: 'none' }),
  evolve: (state, event) =>
    event.type === 'payment.captured'
      ? { status: 'captured', purchase: event.data }
      : { ...state, status: 'refunded' },
  decide: (command, state) => {
    if (command.type === 'capture') {
      if (state.status !== 'none') return E.left(rejection('already-captured'));
      if (!(command.purchase.amount > 0)) return E.left(rejection('nothing-to-pay'));
      return E.right([{ type: 'payment.captured', data: command.purchase }]);
    }
    if (state.purchase === undefined) return E.left(rejection('not-captured'));
    if (state.status === 'refunded') return E.right([]);
    return E.right([{ type: 'payment.refund-issued', data: { ...state.purchase, reason: command.reason } }]);
  },
});
