import type { EventloomOptions } from '@eventloom/core';
import { openSystem } from '@eventloom/example-kit';
import { expect } from 'vitest';
import { course } from '../domain/course.js';
import { enrolment } from '../domain/enrolment.js';
import { payment } from '../domain/payment.js';
import { awaitEndings, capturePayments, surprises } from '../scenario.js';
import { courseEnrolment } from '../services/index.js';

/**
 * Runs every service in one app on `config` and checks the choreography end to end: three
 * enrolments granted and invoiced with consecutive numbers, the sold-out one rejected and refunded.
 */
export async function runDemoAndCheck(config: EventloomOptions): Promise<void> {
  const app = await openSystem(courseEnrolment, { config });
  try {
    const purchases = await capturePayments(app);
    const outcome = (await awaitEndings(app, purchases, undefined, 90_000))!;
    expect(surprises(outcome)).toEqual([]);
    const [ada, grace, alan, linus] = outcome;
    expect(alan).toMatchObject({ ending: 'refunded', reason: 'course-full', invoiceNumber: undefined });
    const numbers = [ada, grace, linus]
      .map((row) => Number(row?.invoiceNumber?.slice('INV-'.length)))
      .sort((a, b) => a - b);
    expect(numbers[2]! - numbers[0]!).toBe(2);
    for (const row of [ada!, grace!, linus!]) {
      expect((await app.load(enrolment, row.paymentId)).state.status).toBe('granted');
      expect((await app.load(payment, row.paymentId)).state.status).toBe('captured');
    }
    expect((await app.load(enrolment, alan!.paymentId)).state.status).toBe('rejected');
    expect((await app.load(payment, alan!.paymentId)).state.status).toBe('refunded');
    expect((await app.load(course, 'ts-101')).state.students).toEqual(
      expect.arrayContaining([ada!.studentId, linus!.studentId]),
    );
  } finally {
    await app.stop();
  }
}
