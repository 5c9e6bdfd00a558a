import { InvalidInputError } from '@eventloom/core';
import { describe, expect, it } from 'vitest';
import { KAFKA_DEFAULTS, resolveKafkaOptions } from './options.js';
import { assertTopicName, topicPerEventType, topicPerStreamCategory } from './topology.js';

describe('Kafka transport options', () => {
  it('fills in defaults', () => {
    const resolved = resolveKafkaOptions({ brokers: ['127.0.0.1:9092'] });
    expect(resolved.topology).toEqual(KAFKA_DEFAULTS.topology);
    expect(resolved.consumer).toEqual(KAFKA_DEFAULTS.consumer);
    expect(resolved.maxMessageBytes).toBe(KAFKA_DEFAULTS.maxMessageBytes);
  });

  it.each([
    [{ brokers: [] }, 'kafka.brokers'],
    [{ brokers: ['no-port'] }, 'kafka.brokers[0]'],
    [{ brokers: ['h:1'], publishTimeoutMs: 0 }, 'kafka.publishTimeoutMs'],
    [{ brokers: ['h:1'], topology: { partitions: 0 } }, 'kafka.topology.partitions'],
    [
      { brokers: ['h:1'], consumer: { heartbeatIntervalMs: 9_000, sessionTimeoutMs: 6_000 } },
      'kafka.consumer.heartbeatIntervalMs',
    ],
  ])('names the field of a bad option: %j', (options, field) => {
    expect(() => resolveKafkaOptions(options)).toThrow(InvalidInputError);
    expect(() => resolveKafkaOptions(options)).toThrow(field);
  });
});

describe('topic naming', () => {
  const envelope = { type: 'cart.item-added', subject: 'cart-42', partitionkey: 'cart-42' };

  it('names a topic per event type or per stream category', () => {
    expect(topicPerEventType('shop.')(envelope as never)).toBe('shop.cart.item-added');
    expect(topicPerStreamCategory()(envelope as never)).toBe('cart');
  });

  it('refuses names Kafka does not accept', () => {
    expect(() => assertTopicName('a b', 'topic')).toThrow(InvalidInputError);
    expect(() => assertTopicName('x'.repeat(250), 'topic')).toThrow(InvalidInputError);
    expect(() => assertTopicName('ok.topic_name-1', 'topic')).not.toThrow();
  });
});
