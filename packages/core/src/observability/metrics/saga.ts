import type { Envelope } from '../../envelope/envelope.js';
import type { SagaTransitionReport } from '../../saga/observer.js';
import { EVENTLOOM } from '../attributes.js';
import type { Instrumentation } from '../instrumentation.js';
import type { Instruments } from './instruments.js';

/**
 * Saga transitions, by saga, outcome and the status they led to. A transition is reported inside the handler's unit
 * of work, so it is held until that commits (`handled`) and dropped if it rolls back.
 */
export function sagaMetrics(instruments: Instruments): Instrumentation {
  const uncommitted = new WeakMap<Envelope, SagaTransitionReport[]>();
  const drop = (message: Envelope) => uncommitted.delete(message);
  return {
    saga: {
      transitioned: (report) => {
        const held = uncommitted.get(report.message);
        if (held === undefined) uncommitted.set(report.message, [report]);
        else held.push(report);
      },
    },
    consumer: {
      handled: (message) => {
        for (const report of uncommitted.get(message) ?? []) record(instruments, report);
        drop(message);
      },
      failed: drop,
      conflict: drop,
    },
  };
}

function record(instruments: Instruments, { saga, to, outcome }: SagaTransitionReport): void {
  instruments.sagaTransitions.add(1, {
    [EVENTLOOM.saga]: saga,
    [EVENTLOOM.outcome]: outcome,
    [EVENTLOOM.sagaStatus]: to,
  });
}
