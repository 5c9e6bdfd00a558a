import { randomBytes } from 'node:crypto';
import {
  type Eventloom,
  isEnded,
  type OrchestrationState,
  type SagaStatus,
  streamIdOf,
} from '@eventloom/core';
import { waitUntil } from '@eventloom/example-kit';
import * as E from 'fp-ts/lib/Either.js';
import { order } from './domain/order.js';
import { CATALOG, type OrderLine } from './domain/order-request.js';
import { CARDS } from './services/gateway.js';
import { paymentsOf } from './services/payment.js';

const SAGA = 'order-saga';

/** An order of the demo and how it must end. */
export interface DemoOrder {
  readonly customer: string;
  readonly items: Readonly<Record<string, number>>;
  readonly card: string;
  readonly expected: { readonly status: SagaStatus; readonly compensated: readonly string[] };
}

/** The happy path, a declined card, an empty shelf, and a bank that answers after the saga gave up. */
export const DEMO_ORDERS: readonly DemoOrder[] = [
  {
    customer: 'Ada',
    items: { keyboard: 1, mouse: 1 },
    card: CARDS.approved,
    expected: { status: 'completed', compensated: [] },
  },
  {
    customer: 'Grace',
    items: { monitor: 1 },
    card: CARDS.declined,
    expected: { status: 'compensated', compensated: ['reserve-inventory'] },
  },
  {
    customer: 'Alan',
    items: { gpu: 1 },
    card: CARDS.approved,
    expected: { status: 'compensated', compensated: [] },
  },
  {
    customer: 'Linus',
    items: { keyboard: 1 },
    card: CARDS.slowBank,
    expected: { status: 'compensated', compensated: ['process-payment', 'reserve-inventory'] },
  },
];

export interface PlacedOrder extends DemoOrder {
  readonly orderId: string;
  readonly total: number;
}

/** How one order ended. */
export interface OrderOutcome {
  readonly orderId: string;
  readonly customer: string;
  readonly total: number;
  readonly status: SagaStatus;
  readonly reason: string | undefined;
  readonly compensated: readonly string[];
  readonly trackingId: string | undefined;
}

/** Places the demo orders (ids unique to this run, so a store or broker can be reused). */
export async function placeOrders(
  app: Eventloom,
  orders: readonly DemoOrder[] = DEMO_ORDERS,
): Promise<PlacedOrder[]> {
  const run = randomBytes(2).toString('hex');
  return Promise.all(
    orders.map(async (demo) => {
      const orderId = `${demo.customer.toLowerCase()}-${run}`;
      const lines: OrderLine[] = Object.entries(demo.items).map(([sku, qty]) => ({
        sku,
        qty,
        price: CATALOG[sku]?.price ?? 0,
      }));
      const placed = await app.execute(order, orderId, {
        type: 'place',
        orderId,
        customer: demo.customer,
        lines,
        card: demo.card,
      });
      if (E.isLeft(placed))
        throw new Error(`order ${orderId} was not placed: ${JSON.stringify(placed.left)}`);
      const total = lines.reduce((sum, line) => sum + line.qty * line.price, 0);
      return { ...demo, orderId, total };
    }),
  );
}

/**
 * Waits until every saga has ended, every completed order has shipped and the bank has answered
 * every charge this process knows of; undefined when `signal` stopped the wait first.
 */
export async function awaitOutcome(
  app: Eventloom,
  orders: readonly PlacedOrder[],
  signal?: AbortSignal,
  timeoutMs = 120_000,
): Promise<OrderOutcome[] | undefined> {
  const settled = await waitUntil(async () => isSettled(await outcomeOf(app, orders), app, orders), {
    timeoutMs,
    intervalMs: 100,
    ...(signal === undefined ? {} : { signal }),
    describe: async () => `the orders to settle: ${JSON.stringify(await outcomeOf(app, orders))}`,
  });
  return settled ? outcomeOf(app, orders) : undefined;
}

export async function outcomeOf(app: Eventloom, orders: readonly PlacedOrder[]): Promise<OrderOutcome[]> {
  return Promise.all(
    orders.map(async ({ orderId, customer, total }) => {
      const saga = await app.sagas.get<OrchestrationState>(SAGA, streamIdOf(order, orderId));
      const { state } = await app.load(order, orderId);
      return {
        orderId,
        customer,
        total,
        status: saga?.status ?? 'running',
        reason: saga?.reason,
        compensated: saga?.state.compensated ?? [],
        trackingId: state.trackingId,
      };
    }),
  );
}

async function isSettled(
  outcome: readonly OrderOutcome[],
  app: Eventloom,
  orders: readonly PlacedOrder[],
): Promise<boolean> {
  const ended = outcome.every(
    (row) => isEnded(row.status) && (row.status !== 'completed' || row.trackingId !== undefined),
  );
  if (!ended) return false;
  const payments = await paymentsOf(
    app,
    orders.map((placed) => placed.orderId),
  );
  return [...payments.values()].every((payment) => !payment.answerDue);
}

/** What differs from the expected outcome, one line per difference. */
export function surprises(orders: readonly PlacedOrder[], outcome: readonly OrderOutcome[]): string[] {
  return orders.flatMap((placed, index) => {
    const row = outcome[index];
    const { status, compensated } = placed.expected;
    const same = row?.status === status && JSON.stringify(row.compensated) === JSON.stringify(compensated);
    return same
      ? []
      : [
          `${placed.orderId}: expected ${status} undoing [${compensated}], got ${row?.status} undoing [${row?.compensated}]`,
        ];
  });
}
