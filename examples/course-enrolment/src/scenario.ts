import { randomBytes } from 'node:crypto';
import type { Eventloom } from '@eventloom/core';
import { waitUntil } from '@eventloom/example-kit';
import * as E from 'fp-ts/lib/Either.js';
import { payment } from './domain/payment.js';
import type { Purchase } from './domain/purchase.js';
import { reportOf } from './report.js';
import { CATALOGUE } from './services/course-access.js';

export type Ending = 'invoiced' | 'refunded';

export interface DemoPurchase {
  readonly student: string;
  readonly courseId: string;
  readonly expected: Ending;
}

/** Three enrolments that go through, and one for a sold-out course that is refunded. */
export const DEMO_PURCHASES: readonly DemoPurchase[] = [
  { student: 'ada', courseId: 'ts-101', expected: 'invoiced' },
  { student: 'grace', courseId: 'es-201', expected: 'invoiced' },
  { student: 'alan', courseId: 'rust-301', expected: 'refunded' },
  { student: 'linus', courseId: 'ts-101', expected: 'invoiced' },
];

export interface PurchaseOutcome extends Purchase {
  readonly expected: Ending;
  readonly ending: Ending | undefined;
  readonly invoiceNumber: string | undefined;
  readonly reason: string | undefined;
}

/** Captures each purchase's payment (ids unique to this run, so a store or broker can be reused). */
export async function capturePayments(
  app: Eventloom,
  purchases = DEMO_PURCHASES,
): Promise<(Purchase & DemoPurchase)[]> {
  const run = randomBytes(2).toString('hex');
  return Promise.all(
    purchases.map(async (demo) => {
      const amount = CATALOGUE.find((offer) => offer.courseId === demo.courseId)?.price ?? 0;
      const purchase = {
        paymentId: `pay-${demo.student}-${run}`,
        studentId: `${demo.student}-${run}`,
        courseId: demo.courseId,
        amount,
      };
      const captured = await app.execute(payment, purchase.paymentId, { type: 'capture', purchase });
      if (E.isLeft(captured))
        throw new Error(`payment ${purchase.paymentId} not captured: ${JSON.stringify(captured.left)}`);
      return { ...demo, ...purchase };
    }),
  );
}

/** Waits until each purchase is invoiced or refunded; undefined when `signal` stopped the wait first. */
export async function awaitEndings(
  app: Eventloom,
  purchases: readonly (Purchase & DemoPurchase)[],
  signal?: AbortSignal,
  timeoutMs = 120_000,
): Promise<PurchaseOutcome[] | undefined> {
  const ended = await waitUntil(
    async () => (await outcomeOf(app, purchases)).every((row) => row.ending !== undefined),
    {
      timeoutMs,
      intervalMs: 100,
      ...(signal === undefined ? {} : { signal }),
      describe: async () => `every purchase to end: ${JSON.stringify(await outcomeOf(app, purchases))}`,
    },
  );
  return ended ? outcomeOf(app, purchases) : undefined;
}

async function outcomeOf(
  app: Eventloom,
  purchases: readonly (Purchase & DemoPurchase)[],
): Promise<PurchaseOutcome[]> {
  const reports = await reportOf(
    app,
    purchases.map((purchase) => purchase.paymentId),
  );
  return purchases.map(({ paymentId, studentId, courseId, amount, expected }, index) => {
    const report = reports[index];
    const ending = report?.refunded
      ? 'refunded'
      : report?.invoiceNumber !== undefined
        ? 'invoiced'
        : undefined;
    return {
      paymentId,
      studentId,
      courseId,
      amount,
      expected,
      ending,
      invoiceNumber: report?.invoiceNumber,
      reason: report?.refusedBecause,
    };
  });
}

/** What differs from the expected endings, one line per difference. */
export function surprises(outcome: readonly PurchaseOutcome[]): string[] {
  return outcome.flatMap((row) =>
    row.ending === row.expected ? [] : [`${row.paymentId}: expected ${row.expected}, got ${row.ending}`],
  );
}
