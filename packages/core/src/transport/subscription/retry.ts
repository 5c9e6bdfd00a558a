import type { BackoffOptions } from '../../common/backoff.js';
import { fullJitterDelay } from '../../common/backoff.js';
import type { DeliveryHandler } from '../contract.js';
import { deliveryFor } from './delivery.js';
import type { HeldMessage } from './held-message.js';
import type { LeaseKeeper } from './lease-keeper.js';

export type HandlingOutcome =
  | { readonly kind: 'handled' }
  | { readonly kind: 'dead-letter'; readonly reason: string }
  /** Closing stopped the retries; the message stays unacked and goes back to the group. */
  | { readonly kind: 'abandoned' };

export interface RetryPolicy {
  readonly handler: DeliveryHandler;
  readonly maxDeliveries: number;
  readonly backoff: BackoffOptions;
  readonly random: () => number;
  readonly keeper: LeaseKeeper;
  readonly signal: AbortSignal;
}

/**
 * Runs the handler until it succeeds, retrying in place with exponential backoff and full jitter
 * while the lease is kept alive: the message never leaves its key's slot, so order holds on every
 * broker (Kafka cannot nack one message). After `maxDeliveries` attempts it asks to dead-letter.
 */
export function handleWithRetries(message: HeldMessage, policy: RetryPolicy): Promise<HandlingOutcome> {
  return attemptOnce(message, policy.handler, (failure) =>
    failure === undefined ? HANDLED : retryAfter(message, failure, policy),
  );
}

const HANDLED: HandlingOutcome = { kind: 'handled' };

/** The retries after a failed first attempt (the common case, success, costs no loop frame). */
async function retryAfter(
  message: HeldMessage,
  first: Failure,
  policy: RetryPolicy,
): Promise<HandlingOutcome> {
  for (let failure: Failure | undefined = first; failure !== undefined; ) {
    if (message.attempt >= policy.maxDeliveries) return { kind: 'dead-letter', reason: failure.reason };
    if (policy.signal.aborted) return { kind: 'abandoned' };
    const delayMs = failure.delayMs ?? fullJitterDelay(message.attempt, policy.backoff, policy.random);
    await policy.keeper.hold(message, delayMs, policy.signal);
    if (policy.signal.aborted) return { kind: 'abandoned' };
    message.attempt += 1;
    failure = await attemptOnce(message, policy.handler, (next) => next);
  }
  return HANDLED;
}

interface Failure {
  readonly reason: string;
  readonly delayMs: number | undefined;
}

/** One run of the handler; `then` takes its failure (undefined: it succeeded) in the same step. */
function attemptOnce<R>(
  message: HeldMessage,
  handler: DeliveryHandler,
  then: (failure: Failure | undefined) => R | PromiseLike<R>,
): Promise<R> {
  const { delivery, verdict } = deliveryFor(message);
  let running: Promise<void>;
  try {
    running = Promise.resolve(handler(delivery));
  } catch (error) {
    running = Promise.reject(error);
  }
  return running.then(
    () => {
      const said = verdict();
      if (said.kind === 'nacked') return then({ reason: said.reason, delayMs: said.delayMs });
      // The key moves on once the effects are committed; the broker's answer to the ack is awaited on close.
      if (said.kind === 'none') void message.ack();
      return then(undefined);
    },
    (error: unknown) =>
      then(verdict().kind === 'acked' ? undefined : { reason: describeFailure(error), delayMs: undefined }),
  );
}

export function describeFailure(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
