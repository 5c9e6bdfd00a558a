import type { EnvelopeInit } from '../envelope/create.js';
import type { Envelope } from '../envelope/envelope.js';

/**
 * A reply to a message a saga sent: it keeps the request's subject (the saga id an
 * orchestration correlates by) and partition key (so replies reach the instance in order).
 * `context.send(replyTo(message, { type: 'payment.processed', data }))`.
 */
export function replyTo(
  request: Envelope,
  reply: Omit<EnvelopeInit, 'subject' | 'partitionkey'>,
): EnvelopeInit {
  return {
    ...reply,
    partitionkey: request.partitionkey,
    ...(request.subject === undefined ? {} : { subject: request.subject }),
  };
}
