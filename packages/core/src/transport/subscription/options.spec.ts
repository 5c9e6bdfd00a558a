import { describe, expect, it } from 'vitest';
import { DEFAULT_BACKOFF } from '../../common/backoff.js';
import { InvalidInputError } from '../../errors.js';
import type { SubscribeOptions } from '../contract.js';
import { resolveSubscribeOptions } from './options.js';

describe('subscribe options', () => {
  it('fills in defaults', () => {
    expect(resolveSubscribeOptions({ group: 'g', topics: ['a', 'a', 'b'] })).toEqual({
      group: 'g',
      topics: ['a', 'b'],
      from: 'start',
      maxInFlight: 16,
      ackTimeoutMs: 30_000,
      maxDeliveries: 5,
      retryBackoff: DEFAULT_BACKOFF,
      deadLetterTopic: 'g.dead-letter',
    });
  });

  const invalid: Array<[string, Partial<SubscribeOptions>]> = [
    ['subscribe.group', { group: '' }],
    ['subscribe.topics', { topics: [] }],
    ['subscribe.topics[1]', { topics: ['a', ''] }],
    ['subscribe.from', { from: 'middle' as 'start' }],
    ['subscribe.maxInFlight', { maxInFlight: 0 }],
    ['subscribe.ackTimeoutMs', { ackTimeoutMs: 2.5 }],
    ['subscribe.maxDeliveries', { maxDeliveries: -1 }],
    ['subscribe.retryBackoff.multiplier', { retryBackoff: { initialMs: 1, maxMs: 2, multiplier: 0.5 } }],
    ['subscribe.deadLetterTopic', { deadLetterTopic: 'a' }],
  ];
  for (const [field, override] of invalid) {
    it(`rejects a bad ${field}, naming it`, () => {
      const attempt = () => resolveSubscribeOptions({ group: 'g', topics: ['a'], ...override });
      expect(attempt).toThrow(InvalidInputError);
      expect(attempt).toThrow(expect.objectContaining({ field }));
    });
  }
});
