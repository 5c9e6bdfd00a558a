import { type Eventloom, type HandlerContext, handler, replyTo } from '@eventloom/core';
import type { Service } from '@eventloom/example-kit';
import type { OrderRequest } from '../domain/order-request.js';
import { charge } from './gateway.js';

const PAYMENTS = 'payment.payments';

/**
 * One order's payment. `refunded` with `captured: 0` voids a charge that never went through, and
 * refuses it if its request or the bank's answer comes later. `answerDue` while the bank owes one.
 */
export interface Payment {
  readonly status: 'pending' | 'captured' | 'declined' | 'refunded';
  readonly amount: number;
  readonly captured: number;
  readonly answerDue: boolean;
  /** The bank's answer came after the payment was voided, and was ignored. */
  readonly lateAnswer?: boolean;
}

type PaymentMessage =
  | { type: 'payment.process' | 'payment.refund'; data: OrderRequest }
  | { type: 'payment.gateway-answered'; data: { orderId: string; approved: boolean } };

export const paymentHandler = (slowBankAnswerMs: number) =>
  handler<PaymentMessage>({
    consumer: 'payment-service',
    types: ['payment.process', 'payment.refund', 'payment.gateway-answered'],
    handle: async (message, context) => {
      const payments = context.uow.documents<Payment>(PAYMENTS);
      const { orderId } = message.data;
      const current = (await payments.get(orderId))?.value;
      const save = (payment: Payment) => payments.put(orderId, payment);
      switch (message.type) {
        case 'payment.process':
          return takePayment(message.data, current, context, save, slowBankAnswerMs);
        case 'payment.gateway-answered':
          return bankAnswered(message.data, current, context, save);
        case 'payment.refund':
          return refund(orderId, current, context, save);
      }
    },
  });

type Save = (payment: Payment) => Promise<unknown>;

async function takePayment(
  request: OrderRequest,
  current: Payment | undefined,
  context: HandlerContext,
  save: Save,
  slowBankAnswerMs: number,
): Promise<void> {
  if (current?.status === 'refunded') {
    return answerStatus(
      context,
      request.orderId,
      { ...current, status: 'declined' },
      'voided before it was processed',
    );
  }
  if (current !== undefined) return answerStatus(context, request.orderId, current);
  const answer = charge(request.card, slowBankAnswerMs);
  const amount = request.total;
  if (answer.outcome === 'pending') {
    await save({ status: 'pending', amount, captured: 0, answerDue: true });
    const webhook = {
      type: 'payment.gateway-answered',
      data: { orderId: request.orderId, approved: answer.approved },
    };
    await context.schedule({ message: replyTo(context.message, webhook), afterMs: answer.answerAfterMs });
    return;
  }
  const payment: Payment =
    answer.outcome === 'approved'
      ? { status: 'captured', amount, captured: amount, answerDue: false }
      : { status: 'declined', amount, captured: 0, answerDue: false };
  await save(payment);
  await answerStatus(
    context,
    request.orderId,
    payment,
    answer.outcome === 'declined' ? answer.reason : undefined,
  );
}

async function bankAnswered(
  answer: { orderId: string; approved: boolean },
  current: Payment | undefined,
  context: HandlerContext,
  save: Save,
): Promise<void> {
  if (current?.status !== 'pending') {
    if (current !== undefined) await save({ ...current, answerDue: false, lateAnswer: true });
    return;
  }
  const payment: Payment = answer.approved
    ? { ...current, status: 'captured', captured: current.amount, answerDue: false }
    : { ...current, status: 'declined', answerDue: false };
  await save(payment);
  await answerStatus(context, answer.orderId, payment, answer.approved ? undefined : 'declined by the bank');
}

async function refund(
  orderId: string,
  current: Payment | undefined,
  context: HandlerContext,
  save: Save,
): Promise<void> {
  const refunded: Payment = {
    status: 'refunded',
    amount: current?.amount ?? 0,
    captured: current?.captured ?? 0,
    answerDue: current?.answerDue ?? false,
  };
  if (current?.status !== 'refunded') await save(refunded);
  await answerStatus(context, orderId, refunded);
}

/** The saga's answer for a payment in this state. */
async function answerStatus(
  context: HandlerContext,
  orderId: string,
  payment: Payment,
  reason?: string,
): Promise<void> {
  const type = {
    pending: undefined,
    captured: 'payment.processed',
    declined: 'payment.declined',
    refunded: 'payment.refunded',
  }[payment.status];
  const data = {
    orderId,
    amount: payment.status === 'refunded' ? payment.captured : payment.amount,
    ...(reason === undefined ? {} : { reason }),
  };
  if (type !== undefined) await context.send(replyTo(context.message, { type, data }));
}

/** The payments of `orderIds` this process keeps (none when the payment service runs elsewhere). */
export async function paymentsOf(app: Eventloom, orderIds: readonly string[]): Promise<Map<string, Payment>> {
  const found = await app.store.transaction((uow) =>
    Promise.all(orderIds.map((id) => uow.documents<Payment>(PAYMENTS).get(id))),
  );
  return new Map(
    found.flatMap((document) => (document === undefined ? [] : [[document.id, document.value] as const])),
  );
}

export const paymentService = (slowBankAnswerMs: number): Service => ({
  name: 'payment',
  handlers: [paymentHandler(slowBankAnswerMs)],
});
