import type { DeliveryInfo } from '../../consumer/handler.js';
import type { DeadLetterReport } from '../../transport/contract.js';
import { EVENTLOOM, MESSAGING, messageAttributes } from '../attributes.js';
import type { Instrumentation } from '../instrumentation.js';
import { createdIn, finishedSpan, inSpan, type Tracing } from './spans.js';

/**
 * A consumer span per delivery (`process <topic>`) under the span its message was created in, a
 * span per handler run (`handle <consumer>`) inside it, and a span per dead letter.
 */
export function consumerTracing(tracing: Tracing): Instrumentation {
  const { api } = tracing;
  const consumerSpan = { kind: api.SpanKind.CONSUMER };
  return {
    delivery: (delivery, next) =>
      inSpan(
        tracing,
        `process ${delivery.topic}`,
        { ...consumerSpan, attributes: deliveryAttributes(delivery) },
        createdIn(tracing, delivery.message),
        next,
      ),
    handler: (context, next) =>
      inSpan(
        tracing,
        `handle ${context.consumer}`,
        { attributes: { [EVENTLOOM.consumer]: context.consumer, [MESSAGING.messageId]: context.message.id } },
        api.context.active(),
        next,
      ),
    consumer: {
      duplicate: (_message, consumer) =>
        api.trace.getActiveSpan()?.addEvent('duplicate dropped', { [EVENTLOOM.consumer]: consumer }),
      deadLettered: (letter) => deadLetterSpan(tracing, letter),
    },
  };
}

function deliveryAttributes({ message, topic, group, transport, attempt }: DeliveryInfo) {
  return {
    [MESSAGING.system]: transport,
    [MESSAGING.destination]: topic,
    [MESSAGING.operationType]: 'process',
    [MESSAGING.operationName]: 'process',
    [MESSAGING.consumerGroup]: group,
    [EVENTLOOM.attempt]: attempt,
    ...messageAttributes(message),
  };
}

function deadLetterSpan(tracing: Tracing, letter: DeadLetterReport): void {
  const attributes = {
    [MESSAGING.destination]: letter.deadLetterTopic,
    [MESSAGING.operationType]: 'publish',
    [MESSAGING.operationName]: 'dead-letter',
    [MESSAGING.consumerGroup]: letter.group,
    [EVENTLOOM.reason]: letter.reason,
    [EVENTLOOM.attempt]: letter.attempts,
    ...(letter.envelope === undefined ? {} : messageAttributes(letter.envelope)),
  };
  const parent =
    letter.envelope === undefined ? tracing.api.ROOT_CONTEXT : createdIn(tracing, letter.envelope);
  const options = { kind: tracing.api.SpanKind.PRODUCER, attributes };
  finishedSpan(tracing, `dead-letter ${letter.topic}`, options, 0, parent);
}
