import { notify } from '../common/notify.js';
import type { DeadLetterReport, Delivery, SubscribeOptions } from '../transport/contract.js';
import type { DeliveryInfo } from './handler.js';
import type { ConsumerObserver } from './observer.js';

/** What delivery middleware sees of one delivery. */
export function deliveryInfo(delivery: Delivery, group: string, transport: string): DeliveryInfo {
  const { envelope: message, topic, attempt } = delivery;
  return { message, topic, group, transport, attempt };
}

/** The subscription's dead-letter listener, telling the consumer's observer too. */
export function deadLetterListener(
  listener: SubscribeOptions['onDeadLetter'],
  observer: ConsumerObserver | undefined,
): Pick<SubscribeOptions, 'onDeadLetter'> {
  const observed = observer?.deadLettered;
  if (observed === undefined) return listener === undefined ? {} : { onDeadLetter: listener };
  return {
    onDeadLetter: (letter: DeadLetterReport) => {
      notify(listener, letter);
      notify(observed, letter);
    },
  };
}
