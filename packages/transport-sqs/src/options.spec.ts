import { InvalidInputError } from '@eventloom/core';
import { describe, expect, it } from 'vitest';
import { resolveSqsOptions, SQS_DEFAULTS } from './options.js';
import { filterPolicy, MAX_FILTER_VALUES } from './subscriptions.js';
import { snsMaySend } from './topology.js';

describe('options', () => {
  it('fills in defaults', () => {
    expect(resolveSqsOptions({ region: 'eu-west-1' })).toMatchObject({
      region: 'eu-west-1',
      ...SQS_DEFAULTS,
    });
  });

  it.each([
    [{ region: '' }, 'sqsTransport.region'],
    [{ region: 'r', namePrefix: 'bad prefix' }, 'sqsTransport.namePrefix'],
    [{ region: 'r', waitTimeSeconds: 21 }, 'sqsTransport.waitTimeSeconds'],
    [{ region: 'r', retentionSeconds: 10 }, 'sqsTransport.retentionSeconds'],
    [{ region: 'r', layout: 'topic-per-tenant' as never }, 'sqsTransport.layout'],
  ])('refuses %j, naming the field', (options, field) => {
    expect(() => resolveSqsOptions(options)).toThrow(InvalidInputError);
    expect(() => resolveSqsOptions(options)).toThrow(field);
  });
});

describe('policies', () => {
  it('lets every topic with the prefix send, in one statement', () => {
    const policy = snsMaySend('arn:aws:sqs:eu-west-1:123456789012:eventloom-g', 'eventloom-');
    expect(policy.Statement).toHaveLength(1);
    expect(policy.Statement[0]?.Condition.ArnLike['aws:SourceArn']).toBe(
      'arn:aws:sns:eu-west-1:123456789012:eventloom-*',
    );
  });

  it('filters on the eventType attribute, within the SNS limit of values', () => {
    expect(JSON.parse(filterPolicy(['b.y', 'b.x']))).toEqual({ eventType: ['b.x', 'b.y'] });
    const tooMany = Array.from({ length: MAX_FILTER_VALUES + 1 }, (_, i) => `b.t${i}`);
    expect(() => filterPolicy(tooMany)).toThrow(InvalidInputError);
  });
});
