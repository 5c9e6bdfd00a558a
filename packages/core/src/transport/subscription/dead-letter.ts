import type { BackoffOptions } from '../../common/backoff.js';
import { fullJitterDelay, sleep } from '../../common/backoff.js';
import { notify } from '../../common/notify.js';
import type { BindingOptions } from '../binding.js';
import { encodeBinary } from '../binding.js';
import { DEAD_LETTER_HEADERS, type SubscribeOptions } from '../contract.js';
import { withEncodedHeaders } from '../header-value.js';
import type { ErrorReporter, HeldMessage } from './held-message.js';
import { undecodableEnvelope } from './poison.js';
import type { DeliverySource } from './source.js';

const MAX_REASON_LENGTH = 1_000;

export interface DeadLetterInfo {
  readonly reason: string;
  readonly attempts: number;
  readonly originalTopic: string;
  readonly group: string;
  readonly at: Date;
}

export function deadLetterHeaders(info: DeadLetterInfo): Record<string, string> {
  return {
    [DEAD_LETTER_HEADERS.reason]: info.reason.slice(0, MAX_REASON_LENGTH),
    [DEAD_LETTER_HEADERS.attempts]: String(info.attempts),
    [DEAD_LETTER_HEADERS.originalTopic]: info.originalTopic,
    [DEAD_LETTER_HEADERS.group]: info.group,
    [DEAD_LETTER_HEADERS.deadLetteredAt]: info.at.toISOString(),
  };
}

export interface DeadLetterPolicy {
  readonly source: DeliverySource;
  readonly topic: string;
  readonly group: string;
  readonly binding: BindingOptions;
  readonly backoff: BackoffOptions;
  readonly random: () => number;
  readonly signal: AbortSignal;
  readonly report: ErrorReporter;
  readonly onDeadLetter: SubscribeOptions['onDeadLetter'];
}

/**
 * Publishes the message with the reason headers to the dead-letter topic, retrying until the
 * broker accepts it, then acks the original. Closing stops the retries and leaves it unacked.
 */
export async function deadLetter(
  message: HeldMessage,
  reason: string,
  policy: DeadLetterPolicy,
): Promise<void> {
  const { raw } = message;
  const extra = deadLetterHeaders({
    reason,
    attempts: message.attempt,
    originalTopic: raw.topic,
    group: policy.group,
    at: new Date(),
  });
  const outgoing =
    message.envelope === undefined
      ? encodeBinary(undecodableEnvelope(raw, reason, policy.group), policy.binding)
      : raw;
  const accepted = await publishUntilAccepted(
    withEncodedHeaders(outgoing.headers, extra),
    outgoing.body,
    policy,
  );
  if (!accepted) return;
  await message.ack();
  notify(policy.onDeadLetter, {
    envelope: message.envelope,
    topic: raw.topic,
    deadLetterTopic: policy.topic,
    group: policy.group,
    reason,
    attempts: message.attempt,
  });
}

async function publishUntilAccepted(
  headers: Record<string, string>,
  body: Uint8Array,
  policy: DeadLetterPolicy,
): Promise<boolean> {
  for (let failures = 1; ; failures++) {
    try {
      await policy.source.publishRaw(policy.topic, headers, body);
      return true;
    } catch (error) {
      policy.report(error, `publishing a dead letter to '${policy.topic}'`);
      if (policy.signal.aborted) return false;
      await sleep(fullJitterDelay(failures, policy.backoff, policy.random), policy.signal);
    }
  }
}
