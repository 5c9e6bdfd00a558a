import { type DocumentCollection, handler, replyTo } from '@eventloom/core';
import type { Service } from '@eventloom/example-kit';
import type { Purchase } from '../domain/purchase.js';

const INVOICES = 'invoicing.invoices';
const SEQUENCE = 'invoicing.sequence';

/** Invoices each granted enrolment once, numbered without gaps (the sequence's version check serialises them). */
const invoicing = handler<{ type: 'enrolment.granted'; data: Purchase }>({
  consumer: 'invoicing',
  types: ['enrolment.granted'],
  handle: async (message, context) => {
    const invoices = context.uow.documents<Purchase & { invoiceNumber: string }>(INVOICES);
    if ((await invoices.get(message.data.paymentId)) !== undefined) return;
    const invoiceNumber = await nextInvoiceNumber(context.uow.documents<{ last: number }>(SEQUENCE));
    const invoice = { ...message.data, invoiceNumber };
    await invoices.put(message.data.paymentId, invoice);
    await context.send(replyTo(message, { type: 'invoice.issued', data: invoice }));
  },
});

async function nextInvoiceNumber(sequence: DocumentCollection<{ last: number }>): Promise<string> {
  const current = await sequence.get('invoice');
  const next = (current?.value.last ?? 0) + 1;
  await sequence.put('invoice', { last: next }, current?.version ?? 0);
  return `INV-${String(next).padStart(5, '0')}`;
}

export const invoicingService: Service = { name: 'invoicing', handlers: [invoicing] };
