import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  natsName,
  partitionConsumerName,
  partitionOf,
  SubjectNaming,
  tokensToTopic,
  topicToTokens,
} from './names.js';

describe('subject naming', () => {
  const naming = new SubjectNaming('eventloom');

  it('keeps dotted event types readable as subject tokens, the partition last', () => {
    expect(naming.subjectOf('cart.item-added', 3)).toBe('eventloom.cart.item-added.%p3');
    expect(naming.wildcard).toBe('eventloom.>');
  });

  it('escapes what a token cannot hold, and empty segments', () => {
    expect(topicToTokens('orders *all* > now')).toBe('orders%20%2Aall%2A%20%3E%20now');
    expect(topicToTokens('.a..b.')).toBe('%.a.%.b.%');
    expect(topicToTokens('100% ✓')).toBe('100%25%20%E2%9C%93');
  });

  it('maps every topic to a valid subject and back, and distinct topics apart', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, unit: 'grapheme' }),
        fc.string({ minLength: 1, unit: 'grapheme' }),
        (a, b) => {
          const subject = naming.subjectOf(a, 7);
          expect(
            subject.split('.').every((token) => /^[\x21-\x7e]+$/u.test(token) && !/[*>]/u.test(token)),
          ).toBe(true);
          expect(naming.topicOf(subject)).toBe(a);
          if (a !== b) expect(naming.subjectOf(b, 7)).not.toBe(subject);
          // No topic's subject on one partition is another topic's subject on another.
          expect(naming.subjectOf(b, 8).startsWith(`${subject}.`)).toBe(false);
        },
      ),
    );
  });

  it('leaves subjects it did not make as they are, also those of the unpartitioned layout', () => {
    expect(naming.topicOf('other.subject')).toBe('other.subject');
    expect(naming.topicOf('eventloom.cart.3')).toBe('eventloom.cart.3');
    expect(tokensToTopic('bad%E2')).toBeUndefined();
  });
});

describe('partitions', () => {
  it('are a stable hash of the partition key (FNV-1a), the same in every process and version', () => {
    expect(['held', 'b', 'c', 'd', '', 'cart-42', 'Ωmega'].map((key) => partitionOf(key, 16))).toEqual([
      14, 5, 2, 3, 5, 12, 14,
    ]);
    expect(partitionOf('anything', 1)).toBe(0);
  });

  it('spread keys over every partition', () => {
    const counts = new Array<number>(16).fill(0);
    for (let n = 0; n < 16_000; n++) {
      const partition = partitionOf(`key-${n}`, 16);
      counts[partition] = (counts[partition] ?? 0) + 1;
    }
    expect(Math.min(...counts)).toBeGreaterThan(800);
  });

  it("name a group's consumers so that no group's consumer is another's partition", () => {
    expect(partitionConsumerName('billing', 0)).toBe('billing%p0');
    expect(partitionConsumerName('billing%p1', 0)).toBe('billing%25p1%p0');
    expect(partitionConsumerName('billing', 10)).not.toBe(partitionConsumerName('billing%p1', 0));
  });
});

describe('stream and consumer names', () => {
  it('escapes separators and path characters, keeping plain names as they are', () => {
    expect(natsName('billing')).toBe('billing');
    expect(natsName('billing.dead-letter')).toBe('billing%2Edead-letter');
    expect(natsName('a/b c')).toBe('a%2Fb%20c');
  });

  it('shortens long names with a hash, so they stay distinct', () => {
    const long = 'x'.repeat(300);
    expect(natsName(long).length).toBeLessThanOrEqual(200);
    expect(natsName(`${long}a`)).not.toBe(natsName(`${long}b`));
  });
});
