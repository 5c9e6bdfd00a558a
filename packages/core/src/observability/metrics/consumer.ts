import type { Envelope } from '../../envelope/envelope.js';
import { EVENTLOOM, MESSAGING } from '../attributes.js';
import type { Instrumentation } from '../instrumentation.js';
import { type Instruments, secondsOf } from './instruments.js';

/** Per handler: consumed, duration and end-to-end latency; per message: failures, duplicates, dead letters. */
export function consumerMetrics(instruments: Instruments): Instrumentation {
  return {
    consumer: {
      handled: (message, consumer, durationMs) => {
        const attributes = handlerAttributes(message, consumer);
        instruments.consumed.add(1, attributes);
        instruments.handlerDuration.record(secondsOf(durationMs), attributes);
        const sent = Date.parse(message.time);
        if (Number.isFinite(sent))
          instruments.latency.record(secondsOf(Math.max(0, Date.now() - sent)), attributes);
      },
      duplicate: (message, consumer) => instruments.duplicates.add(1, handlerAttributes(message, consumer)),
      failed: (message) => instruments.failed.add(1, { [EVENTLOOM.messageType]: message.type }),
      deadLettered: (letter) =>
        instruments.deadLettered.add(1, {
          [MESSAGING.destination]: letter.topic,
          [MESSAGING.consumerGroup]: letter.group,
        }),
    },
  };
}

function handlerAttributes(message: Envelope, consumer: string) {
  return { [EVENTLOOM.consumer]: consumer, [EVENTLOOM.messageType]: message.type };
}
