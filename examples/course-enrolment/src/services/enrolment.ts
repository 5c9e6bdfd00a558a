import { handler, replyTo } from '@eventloom/core';
import type { Service } from '@eventloom/example-kit';
import * as E from 'fp-ts/lib/Either.js';
import { enrolment } from '../domain/enrolment.js';
import type { Purchase, Refusal } from '../domain/purchase.js';

type AccessEvent =
  | { type: 'course.access-activated'; data: Purchase }
  | { type: 'course.access-activation-failed'; data: Refusal };

/** Grants the enrolment once access is active; when activation failed, rejects it and asks for a refund. */
const enrolmentPolicy = handler<AccessEvent>({
  consumer: 'enrolment',
  types: ['course.access-activated', 'course.access-activation-failed'],
  handle: async (message, context) => {
    const { paymentId } = message.data;
    if (message.type === 'course.access-activated') {
      await context.execute(enrolment, paymentId, { type: 'grant', purchase: message.data });
      return;
    }
    const rejected = await context.execute(enrolment, paymentId, { type: 'reject', refusal: message.data });
    if (E.isRight(rejected) && rejected.right.events.length > 0) {
      await context.send(replyTo(message, { type: 'payment.refund-requested', data: message.data }));
    }
  },
});

export const enrolmentService: Service = {
  name: 'enrolment',
  aggregates: [enrolment],
  handlers: [enrolmentPolicy],
};
