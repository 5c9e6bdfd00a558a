import { InvalidInputError } from '@eventloom/core';
import { describe, expect, it } from 'vitest';
import { NATS_DEFAULTS } from './options.js';
import { resolveNatsOptions } from './resolve-options.js';

describe('NATS transport options', () => {
  it('fills in defaults', () => {
    const options = resolveNatsOptions({ servers: 'nats://127.0.0.1:4222' });
    expect(options.subjectPrefix).toBe('eventloom');
    expect(options.stream).toEqual({ ...NATS_DEFAULTS.stream, name: 'eventloom' });
    expect(options.consumer).toEqual(NATS_DEFAULTS.consumer);
    expect(options.reconnect).toEqual(NATS_DEFAULTS.reconnect);
  });

  it('derives a valid stream name from a dotted prefix', () => {
    expect(resolveNatsOptions({ servers: 'nats://h', subjectPrefix: 'acme.events' }).stream.name).toBe(
      'acme%2Eevents',
    );
  });

  it('keeps the default duplicate window within a short max age', () => {
    expect(
      resolveNatsOptions({ servers: 'nats://h', stream: { maxAgeMs: 30_000 } }).stream.duplicateWindowMs,
    ).toBe(30_000);
  });

  it.each([
    [{ servers: [] }, 'nats.servers'],
    [{ servers: 'nats://h', subjectPrefix: 'a..b' }, 'nats.subjectPrefix'],
    [{ servers: 'nats://h', subjectPrefix: 'a.>' }, 'nats.subjectPrefix'],
    [{ servers: 'nats://h', stream: { name: 'a.b' } }, 'nats.stream.name'],
    [{ servers: 'nats://h', stream: { retention: 'workqueue' as 'limits' } }, 'nats.stream.retention'],
    [{ servers: 'nats://h', stream: { replicas: 0 } }, 'nats.stream.replicas'],
    [
      { servers: 'nats://h', stream: { maxAgeMs: 1_000, duplicateWindowMs: 2_000 } },
      'nats.stream.duplicateWindowMs',
    ],
    [{ servers: 'nats://h', stream: { partitions: 0 } }, 'nats.stream.partitions'],
    [{ servers: 'nats://h', stream: { partitions: 1.5 } }, 'nats.stream.partitions'],
    [{ servers: 'nats://h', stream: { partitions: 5_000 } }, 'nats.stream.partitions'],
    [{ servers: 'nats://h', publishTimeoutMs: 0 }, 'nats.publishTimeoutMs'],
    [{ servers: 'nats://h', consumer: { pullExpiresMs: 10 } }, 'nats.consumer.pullExpiresMs'],
    [
      { servers: 'nats://h', consumer: { redeliveryBackoffMs: [100, -1] } },
      'nats.consumer.redeliveryBackoffMs[1]',
    ],
    [{ servers: 'nats://h', reconnect: { initialMs: 500, maxMs: 100 } }, 'nats.reconnect.maxMs'],
  ])('rejects %j, naming %s', (options, field) => {
    expect(() => resolveNatsOptions(options)).toThrow(InvalidInputError);
    expect(() => resolveNatsOptions(options)).toThrow(field);
  });
});
