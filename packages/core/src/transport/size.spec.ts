import { describe, expect, it } from 'vitest';
import { createEnvelope } from '../envelope/create.js';
import { InvalidInputError, MessageTooLargeError, PayloadTooLargeError } from '../errors.js';
import { encodeBinary } from './binding.js';
import { encodeBatch, encodedSize, envelopeSize } from './size.js';

const headerPrefix = 'ce_';

describe('message size', () => {
  it('counts the body and every header name and value as UTF-8', () => {
    expect(encodedSize({ headers: { ab: 'ü' }, body: new Uint8Array(5) })).toBe(5 + 2 + 2);
    const envelope = createEnvelope({ type: 't', data: { text: 'ü' } });
    const encoded = encodeBinary(envelope, { headerPrefix });
    expect(envelopeSize(envelope, { headerPrefix })).toBe(encodedSize(encoded));
  });

  it('checks a whole batch before returning any of it', () => {
    const small = createEnvelope({ type: 't', data: 'small' });
    const large = createEnvelope({ type: 't', data: 'x'.repeat(1_000) });
    const limit = envelopeSize(large, { headerPrefix }) - 1;
    const attempt = () =>
      encodeBatch(
        [
          { topic: 'a', envelope: small },
          { topic: 'a', envelope: large },
        ],
        { headerPrefix, maxMessageBytes: limit },
      );
    expect(attempt).toThrow(MessageTooLargeError);
    expect(attempt).toThrow(PayloadTooLargeError);
    expect(attempt).toThrow(new RegExp(`'${large.id}' for topic 'a' is ${limit + 1} bytes`));
    expect(
      encodeBatch([{ topic: 'a', envelope: large }], { headerPrefix, maxMessageBytes: limit + 1 }),
    ).toHaveLength(1);
  });

  it('refuses a message without a topic', () => {
    const envelope = createEnvelope({ type: 't', data: 1 });
    expect(() => encodeBatch([{ topic: '', envelope }], { headerPrefix, maxMessageBytes: 1_000 })).toThrow(
      InvalidInputError,
    );
  });
});
