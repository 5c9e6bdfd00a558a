import type { SagaTransitionReport } from '../../saga/observer.js';
import { EVENTLOOM, MESSAGING } from '../attributes.js';
import type { Instrumentation } from '../instrumentation.js';
import { finishedSpan, type Tracing } from './spans.js';

/** A span per saga transition (`saga <name>`) inside the span of the handler run that made it. */
export function sagaTracing(tracing: Tracing): Instrumentation {
  return {
    saga: {
      transitioned: (report) =>
        finishedSpan(
          tracing,
          `saga ${report.saga}`,
          { attributes: transitionAttributes(report) },
          report.durationMs,
        ),
    },
  };
}

function transitionAttributes({ saga, sagaId, from, to, outcome, message, sent }: SagaTransitionReport) {
  return {
    [EVENTLOOM.saga]: saga,
    [EVENTLOOM.sagaId]: sagaId,
    [EVENTLOOM.sagaStatus]: to,
    [EVENTLOOM.outcome]: outcome,
    [EVENTLOOM.eventCount]: sent,
    [MESSAGING.messageId]: message.id,
    ...(from === undefined ? {} : { [EVENTLOOM.sagaStatusBefore]: from }),
  };
}
