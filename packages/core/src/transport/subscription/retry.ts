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
export async function handleWithRetries(message: HeldMessage, policy: RetryPolicy): Promise<HandlingOutcome> {
  for (;;) {
    const failure = await attemptOnce(message, policy.handler);
    if (failure === undefined) return { kind: 'handled' };
    if (message.attempt >= policy.maxDeliveries) return { kind: 'dead-letter', reason: failure.reason };
    if (policy.signal.aborted) return { kind: 'abandoned' };
    const delayMs = failure.delayMs ?? fullJitterDelay(message.attempt, policy.backoff, policy.random);
    await policy.keeper.hold(message, delayMs, policy.signal);
    if (policy.signal.aborted) return { kind: 'abandoned' };
    message.attempt += 1;
  }
}

interface Failure {
  readonly reason: string;
  readonly delayMs: number | undefined;
}

async function attemptOnce(message: HeldMessage, handler: DeliveryHandler): Promise<Failure | undefined> {
  const { delivery, verdict } = deliveryFor(message);
  try {
    await handler(delivery);
  } catch (error) {
    if (verdict().kind === 'acked') return undefined;
    return { reason: describeFailure(error), delayMs: undefined };
  }
  const said = verdict();
  if (said.kind === 'nacked') return { reason: said.reason, delayMs: said.delayMs };
  // The key moves on once the effects are committed; the broker's answer to the ack is awaited on close.
  if (said.kind === 'none') void message.ack();
  return undefined;
}

export function describeFailure(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
