import type { Delivery } from '../contract.js';
import type { HeldMessage } from './held-message.js';

/** What the handler said about one attempt, besides resolving or throwing. */
export type Verdict =
  | { readonly kind: 'none' }
  | { readonly kind: 'acked' }
  | { readonly kind: 'nacked'; readonly delayMs: number | undefined; readonly reason: string };

/** The handler's view of one attempt; a nack asks for an in-place retry, keeping the key's order. */
export function deliveryFor(message: HeldMessage): { delivery: Delivery; verdict: () => Verdict } {
  let verdict: Verdict = { kind: 'none' };
  const envelope = message.envelope;
  if (envelope === undefined) throw new Error('an undecodable message never reaches a handler');
  const delivery: Delivery = {
    envelope,
    topic: message.raw.topic,
    attempt: message.attempt,
    ack: async () => {
      if (verdict.kind !== 'none') return false;
      verdict = { kind: 'acked' };
      return message.ack();
    },
    nack: async (delayMs, reason) => {
      if (verdict.kind !== 'none' || message.isSettled) return false;
      verdict = { kind: 'nacked', delayMs, reason: reason ?? 'nacked by the handler' };
      return true;
    },
    extend: () => message.extend(),
  };
  return { delivery, verdict: () => verdict };
}
