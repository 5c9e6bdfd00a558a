import { decider } from '@eventloom/core';
import * as E from 'fp-ts/lib/Either.js';
import type { Purchase, Refusal } from './purchase.js';

export type EnrolmentEvent =
  | { type: 'enrolment.granted'; data: Purchase }
  | { type: 'enrolment.rejected'; data: Refusal };

export type EnrolmentCommand = { type: 'grant'; purchase: Purchase } | { type: 'reject'; refusal: Refusal };

export interface EnrolmentState {
  readonly status: 'none' | 'granted' | 'rejected';
}

/** One enrolment per payment: granted or rejected once; the first decision stands. */
export const enrolment = decider<EnrolmentCommand, EnrolmentEvent, EnrolmentState>({
  name: 'enrolment',
  eventTypes: { 'enrolment.granted': true, 'enrolment.rejected': true },
  initialState: () => ({ status: 'none' }),
  evolve: (_state, event) => ({ status: event.type === 'enrolment.granted' ? 'granted' : 'rejected' }),
  decide: (command, state) => {
    if (state.status !== 'none') return E.right([]);
    return E.right([
      command.type === 'grant'
        ? { type: 'enrolment.granted', data: command.purchase }
        : { type: 'enrolment.rejected', data: command.refusal },
    ]);
  },
});
