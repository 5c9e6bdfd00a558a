import type { BackoffOptions } from '../../common/backoff.js';
import { DEFAULT_BACKOFF, validateBackoff } from '../../common/backoff.js';
import { positiveInteger } from '../../common/integers.js';
import { InvalidInputError } from '../../errors.js';
import type { SubscribeOptions } from '../contract.js';

export type ResolvedSubscribeOptions = Required<Omit<SubscribeOptions, 'onDeadLetter'>> &
  Pick<SubscribeOptions, 'onDeadLetter'> & {
    readonly retryBackoff: BackoffOptions;
  };

export const SUBSCRIBE_DEFAULTS = {
  from: 'start',
  maxInFlight: 16,
  ackTimeoutMs: 30_000,
  maxDeliveries: 5,
} as const;

/** Fills in defaults and fails, naming the field, on anything a subscription cannot run with. */
export function resolveSubscribeOptions(options: SubscribeOptions): ResolvedSubscribeOptions {
  const field = (name: string) => `subscribe.${name}`;
  if (typeof options.group !== 'string' || options.group.length === 0) {
    throw new InvalidInputError(field('group'), 'must be a non-empty string');
  }
  if (!Array.isArray(options.topics) || options.topics.length === 0) {
    throw new InvalidInputError(field('topics'), 'must be a non-empty array');
  }
  for (const [index, topic] of options.topics.entries()) {
    if (typeof topic !== 'string' || topic.length === 0) {
      throw new InvalidInputError(field(`topics[${index}]`), 'must be a non-empty string');
    }
  }
  const from = options.from ?? SUBSCRIBE_DEFAULTS.from;
  if (from !== 'start' && from !== 'new') {
    throw new InvalidInputError(field('from'), `must be 'start' or 'new', got ${String(from)}`);
  }
  const deadLetterTopic = options.deadLetterTopic ?? `${options.group}.dead-letter`;
  if (deadLetterTopic.length === 0 || options.topics.includes(deadLetterTopic)) {
    throw new InvalidInputError(
      field('deadLetterTopic'),
      'must be a non-empty topic the group does not read',
    );
  }
  return {
    group: options.group,
    topics: [...new Set(options.topics)],
    from,
    maxInFlight: positiveInteger(options.maxInFlight ?? SUBSCRIBE_DEFAULTS.maxInFlight, field('maxInFlight')),
    ackTimeoutMs: positiveInteger(
      options.ackTimeoutMs ?? SUBSCRIBE_DEFAULTS.ackTimeoutMs,
      field('ackTimeoutMs'),
    ),
    maxDeliveries: positiveInteger(
      options.maxDeliveries ?? SUBSCRIBE_DEFAULTS.maxDeliveries,
      field('maxDeliveries'),
    ),
    retryBackoff: validateBackoff(options.retryBackoff ?? DEFAULT_BACKOFF, field('retryBackoff')),
    deadLetterTopic,
    ...deadLetterListener(options.onDeadLetter, field('onDeadLetter')),
  };
}

function deadLetterListener(
  listener: SubscribeOptions['onDeadLetter'],
  field: string,
): Pick<SubscribeOptions, 'onDeadLetter'> {
  if (listener === undefined) return {};
  if (typeof listener !== 'function') throw new InvalidInputError(field, 'must be a function');
  return { onDeadLetter: listener };
}
