import type { Instrumentation } from '../instrumentation.js';
import { errorFields, messageBindings } from './bindings.js';
import type { LogScope } from './scope.js';

/**
 * Every line written while a delivery is processed carries the message's ids, and while a
 * handler runs its consumer name too; the outcome of each is one line.
 */
export function consumerLogging(scope: LogScope): Instrumentation {
  const log = () => scope.current;
  return {
    delivery: (delivery, next) =>
      scope.run(
        { ...messageBindings(delivery.message), topic: delivery.topic, attempt: delivery.attempt },
        next,
      ),
    handler: (context, next) => scope.run({ consumer: context.consumer }, next),
    consumer: {
      handled: (_message, consumer, durationMs) => log().debug({ consumer, durationMs }, 'message handled'),
      duplicate: (_message, consumer) => log().debug({ consumer }, 'duplicate dropped'),
      failed: (_message, error, attempt) => log().warn({ ...errorFields(error), attempt }, 'message failed'),
      conflict: (_message, retry) => log().debug({ retry }, 'version conflict, running again'),
      deadLettered: (letter) =>
        log().error(
          {
            ...(letter.envelope === undefined ? {} : messageBindings(letter.envelope)),
            topic: letter.topic,
            deadLetterTopic: letter.deadLetterTopic,
            reason: letter.reason,
            attempts: letter.attempts,
          },
          'message dead-lettered',
        ),
    },
    saga: {
      transitioned: ({ saga, sagaId, from, to, outcome }) =>
        log().debug({ saga, sagaId, from: from ?? null, to, outcome }, 'saga transition'),
    },
  };
}
