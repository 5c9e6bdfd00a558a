import { describe, expect, it } from 'vitest';
import { createEnvelope } from '../envelope/create.js';
import { elapse, sagaSpec } from '../testing/saga-spec.js';
import { ACTIVATION_DEADLINE_MS, courseEnrolment } from './fixtures/course-enrolment.js';

const captured = createEnvelope({
  type: 'payment.captured',
  data: { enrolmentId: 'e-1', paymentId: 'p-9', courseId: 'c-3', studentId: 's-5' },
  subject: 'payment-p-9',
});
const activated = { type: 'course.access-activated', data: { enrolmentId: 'e-1' } };
const failed = {
  type: 'course.access-activation-failed',
  data: { enrolmentId: 'e-1', reason: 'course full' },
};
const spec = () => sagaSpec(courseEnrolment);

describe('choreography: course enrolment reacting to other services', () => {
  it('payment captured → asks for access, with a deadline, keyed by the enrolment', async () => {
    const { sent } = await spec()
      .given()
      .when(captured)
      .then({
        sent: [
          { type: 'course.activate-access', data: { enrolmentId: 'e-1', courseId: 'c-3', studentId: 's-5' } },
        ],
        state: { paymentId: 'p-9', courseId: 'c-3', studentId: 's-5' },
        status: 'running',
        timers: ['activation'],
      });
    expect(sent[0]?.partitionkey).toBe('e-1');
  });

  it('access activated → enrolment granted, deadline cancelled', async () => {
    await spec()
      .given(captured)
      .when(activated)
      .then({
        sent: [
          {
            type: 'enrolment.granted',
            data: { enrolmentId: 'e-1', paymentId: 'p-9', courseId: 'c-3', studentId: 's-5' },
          },
        ],
        status: 'completed',
        timers: [],
      });
  });

  it('activation failed → a refund is requested', async () => {
    const { record } = await spec()
      .given(captured)
      .when(failed)
      .then({
        sent: [
          {
            type: 'payment.refund-requested',
            data: { enrolmentId: 'e-1', paymentId: 'p-9', reason: 'course full' },
          },
        ],
        status: 'compensated',
      });
    expect(record.reason).toBe('course full');
  });

  it('no answer by the deadline → a refund is requested; a late activation is then only recorded', async () => {
    await spec()
      .given(captured)
      .when(elapse(ACTIVATION_DEADLINE_MS))
      .then({
        sent: [
          {
            type: 'payment.refund-requested',
            data: { enrolmentId: 'e-1', paymentId: 'p-9', reason: 'activation timed out' },
          },
        ],
        status: 'compensated',
      });
    const { record } = await spec()
      .given(captured, elapse(ACTIVATION_DEADLINE_MS))
      .when(activated)
      .then({ sent: [], status: 'compensated' });
    expect(record.history.map((entry) => [entry.type, entry.outcome])).toEqual([
      ['payment.captured', 'started'],
      ['eventloom.saga-timeout.course-enrolment', 'handled'],
      ['course.access-activated', 'after-end'],
    ]);
  });

  it('an event for an enrolment that never started is acknowledged and starts nothing', async () => {
    const run = spec().given().when(activated).then();
    await expect(run).rejects.toThrow("expected one instance of 'course-enrolment', found 0");
  });
});
