import type { Envelope } from '../envelope/envelope.js';
import { utf8Length } from '../envelope/json.js';
import { InvalidInputError, MessageTooLargeError } from '../errors.js';
import type { BinaryMessage, BindingOptions } from './binding.js';
import { encodeBinary } from './binding.js';
import type { OutgoingMessage } from './contract.js';

/** Bytes a binary message occupies on the wire: body plus every header name and value, as UTF-8. */
export function encodedSize(message: Pick<BinaryMessage, 'headers' | 'body'>): number {
  let size = message.body.byteLength;
  for (const name of Object.keys(message.headers)) {
    size += utf8Length(name) + utf8Length(message.headers[name] as string);
  }
  return size;
}

/** The size `maxMessageBytes` is compared with, for an envelope encoded with these options. */
export function envelopeSize(envelope: Envelope, options: BindingOptions): number {
  return encodedSize(encodeBinary(envelope, options));
}

export function assertMessageFits(
  topic: string,
  messageId: string,
  message: Pick<BinaryMessage, 'headers' | 'body'>,
  maxMessageBytes: number,
): void {
  const size = encodedSize(message);
  if (size > maxMessageBytes) throw new MessageTooLargeError(topic, messageId, size, maxMessageBytes);
}

export interface EncodedOutgoingMessage extends BinaryMessage {
  readonly topic: string;
  readonly id: string;
}

/**
 * Encodes and size-checks a whole batch before any of it is sent, so a bad or oversized message
 * never leaves part of its batch published.
 */
export function encodeBatch(
  batch: readonly OutgoingMessage[],
  options: BindingOptions & { readonly maxMessageBytes: number },
): EncodedOutgoingMessage[] {
  return batch.map(({ topic, envelope }, index) => {
    if (typeof topic !== 'string' || topic.length === 0) {
      throw new InvalidInputError(`batch[${index}].topic`, 'must be a non-empty string');
    }
    const { headers, body, key } = encodeBinary(envelope, options);
    assertMessageFits(topic, envelope.id, { headers, body }, options.maxMessageBytes);
    return { topic, id: envelope.id, headers, body, key };
  });
}
