import { type Eventloom, projection } from '@eventloom/core';
import type { Purchase, Refusal } from './domain/purchase.js';

const REPORT = 'billing.enrolment-report';

/** What billing knows of each payment's enrolment, from the events of every service. */
export interface EnrolmentReport {
  readonly purchase?: Purchase;
  readonly enrolled?: boolean;
  readonly invoiceNumber?: string;
  readonly refusedBecause?: string;
  readonly refunded?: boolean;
}

type ReportEvent =
  | { type: 'payment.captured' | 'enrolment.granted'; data: Purchase }
  | { type: 'invoice.issued'; data: Purchase & { invoiceNumber: string } }
  | { type: 'course.access-activation-failed' | 'payment.refund-issued'; data: Refusal };

/**
 * Follows the transport, so it works whichever process each service runs in. Events of one
 * payment travel under different keys and may arrive in any order: each only adds what it knows.
 */
export const enrolmentReport = projection<ReportEvent>({
  name: 'enrolment-report',
  types: [
    'payment.captured',
    'enrolment.granted',
    'invoice.issued',
    'course.access-activation-failed',
    'payment.refund-issued',
  ],
  collections: [REPORT],
  apply: async (event, uow) => {
    const rows = uow.documents<EnrolmentReport>(REPORT);
    const row = (await rows.get(event.data.paymentId))?.value ?? {};
    await rows.put(event.data.paymentId, { ...row, ...learned(event) });
  },
});

function learned(event: ReportEvent): EnrolmentReport {
  switch (event.type) {
    case 'payment.captured':
      return { purchase: event.data };
    case 'enrolment.granted':
      return { enrolled: true };
    case 'invoice.issued':
      return { invoiceNumber: event.data.invoiceNumber };
    case 'course.access-activation-failed':
      return { refusedBecause: event.data.reason };
    case 'payment.refund-issued':
      return { refunded: true };
  }
}

export async function reportOf(
  app: Eventloom,
  paymentIds: readonly string[],
): Promise<(EnrolmentReport | undefined)[]> {
  return app.store.transaction((uow) =>
    Promise.all(paymentIds.map(async (id) => (await uow.documents<EnrolmentReport>(REPORT).get(id))?.value)),
  );
}
