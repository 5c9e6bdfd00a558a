import { handler, replyTo } from '@eventloom/core';
import type { Service } from '@eventloom/example-kit';
import * as E from 'fp-ts/lib/Either.js';
import { course } from '../domain/course.js';
import type { Purchase } from '../domain/purchase.js';

/** The courses on offer; a course with no seats is sold out. */
export const CATALOGUE = [
  { courseId: 'ts-101', title: 'TypeScript in depth', seats: 500, price: 199_00 },
  { courseId: 'es-201', title: 'Event sourcing in practice', seats: 500, price: 249_00 },
  { courseId: 'rust-301', title: 'Rust for TypeScript developers', seats: 0, price: 299_00 },
] as const;

/** Reacts to a captured payment by giving the student access, or by announcing why it could not. */
const courseAccess = handler<{ type: 'payment.captured'; data: Purchase }>({
  consumer: 'course-access',
  types: ['payment.captured'],
  handle: async (message, context) => {
    const result = await context.execute(course, message.data.courseId, {
      type: 'activate-access',
      purchase: message.data,
    });
    if (E.isRight(result)) return;
    const reason = result.left.kind === 'rejection' ? result.left.reason : 'conflict';
    // On the payment's key, so that what follows for this payment stays in order.
    await context.send(
      replyTo(message, { type: 'course.access-activation-failed', data: { ...message.data, reason } }),
    );
  },
});

export const courseAccessService: Service = {
  name: 'course-access',
  aggregates: [course],
  handlers: [courseAccess],
  prepare: async (app) => {
    for (const { courseId, title, seats, price } of CATALOGUE) {
      await app.execute(course, courseId, { type: 'open', courseId, title, seats, price });
    }
  },
};
