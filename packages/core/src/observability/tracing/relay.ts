import type { OutgoingMessage } from '../../transport/contract.js';
import { MESSAGING, messageAttributes } from '../attributes.js';
import type { Instrumentation } from '../instrumentation.js';
import { createdIn, finishedSpan, type Tracing } from './spans.js';

/**
 * A producer span per published message (`publish <topic>`), a child of the span the message was
 * created in, as its `traceparent` says: the relay runs apart from the command that wrote it.
 */
export function relayTracing(tracing: Tracing): Instrumentation {
  return {
    relay: {
      published: (_rows, durationMs, { transport, messages }) => {
        for (const message of messages) publishSpan(tracing, message, transport, durationMs);
      },
    },
  };
}

function publishSpan(
  tracing: Tracing,
  { topic, envelope }: OutgoingMessage,
  system: string,
  durationMs: number,
) {
  const options = {
    kind: tracing.api.SpanKind.PRODUCER,
    attributes: {
      [MESSAGING.system]: system,
      [MESSAGING.destination]: topic,
      [MESSAGING.operationType]: 'publish',
      [MESSAGING.operationName]: 'publish',
      ...messageAttributes(envelope),
    },
  };
  finishedSpan(tracing, `publish ${topic}`, options, durationMs, createdIn(tracing, envelope));
}
