import { MESSAGING } from '../attributes.js';
import type { Instrumentation } from '../instrumentation.js';
import { type Instruments, secondsOf } from './instruments.js';

/** Messages published by topic, batch publish time, and failed rounds. */
export function relayMetrics(instruments: Instruments): Instrumentation {
  return {
    relay: {
      published: (_rows, durationMs, { transport, messages }) => {
        const system = { [MESSAGING.system]: transport };
        instruments.publishDuration.record(secondsOf(durationMs), system);
        for (const [topic, count] of countByTopic(messages)) {
          instruments.published.add(count, { ...system, [MESSAGING.destination]: topic });
        }
      },
      failed: () => instruments.relayFailures.add(1),
    },
  };
}

function countByTopic(messages: readonly { readonly topic: string }[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { topic } of messages) counts.set(topic, (counts.get(topic) ?? 0) + 1);
  return counts;
}
