import { handler } from '@eventloom/core';
import type { Service } from '@eventloom/example-kit';
import { payment } from '../domain/payment.js';
import type { Refusal } from '../domain/purchase.js';
import { enrolmentReport } from '../report.js';

/** Refunds a payment when asked (once: a second request changes nothing). */
const refunds = handler<{ type: 'payment.refund-requested'; data: Refusal }>({
  consumer: 'billing',
  types: ['payment.refund-requested'],
  handle: async (message, context) => {
    await context.execute(payment, message.data.paymentId, { type: 'refund', reason: message.data.reason });
  },
});

/** Takes the students' payments, refunds them on request, and reports how each enrolment went. */
export const billingService: Service = {
  name: 'billing',
  aggregates: [payment],
  handlers: [refunds],
  projections: [{ projection: enrolmentReport, mode: 'transport' }],
};
