import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { natsName, SubjectNaming, tokensToTopic, topicToTokens } from './names.js';

describe('subject naming', () => {
  const naming = new SubjectNaming('eventloom');

  it('keeps dotted event types readable as subject tokens', () => {
    expect(naming.subjectOf('cart.item-added')).toBe('eventloom.cart.item-added');
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
          const subject = naming.subjectOf(a);
          expect(
            subject.split('.').every((token) => /^[\x21-\x7e]+$/u.test(token) && !/[*>]/u.test(token)),
          ).toBe(true);
          expect(naming.topicOf(subject)).toBe(a);
          if (a !== b) expect(naming.subjectOf(b)).not.toBe(subject);
        },
      ),
    );
  });

  it('leaves subjects it did not make as they are', () => {
    expect(naming.topicOf('other.subject')).toBe('other.subject');
    expect(tokensToTopic('bad%E2')).toBeUndefined();
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
