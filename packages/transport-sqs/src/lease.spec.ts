import type { Message } from '@aws-sdk/client-sqs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LeaseQueue } from './lease.js';
import { rawDelivery } from './lease.js';

const message: Message = {
  ReceiptHandle: 'handle-1',
  Body: '{"n":1}',
  Attributes: { ApproximateReceiveCount: '3' },
  MessageAttributes: { eventType: { DataType: 'String', StringValue: 'orders.placed' } },
};

function fakeQueue() {
  const calls: string[] = [];
  const queue: LeaseQueue = {
    delete: async (handle) => {
      calls.push(`delete ${handle}`);
      return true;
    },
    changeVisibility: async (handle, seconds) => {
      calls.push(`visibility ${handle} ${seconds}`);
      return true;
    },
  };
  return { queue, calls };
}

describe('a delivery leased from SQS', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const deliver = (queue: LeaseQueue) =>
    rawDelivery(message, { queue, requestedAt: 0, visibilitySeconds: 10, fallbackTopic: 'fallback' });

  it('reads the topic, body and receive count', () => {
    const delivery = deliver(fakeQueue().queue);
    expect(delivery.topic).toBe('orders.placed');
    expect(Buffer.from(delivery.body).toString()).toBe('{"n":1}');
    expect(delivery.brokerAttempt).toBe(3);
  });

  it('acks by deleting, once', async () => {
    const { queue, calls } = fakeQueue();
    const delivery = deliver(queue);
    expect(await delivery.ack()).toBe(true);
    expect(await delivery.ack()).toBe(false);
    expect(await delivery.nack(0)).toBe(false);
    expect(calls).toEqual(['delete handle-1']);
  });

  it('nacks by setting the visibility to the delay, in whole seconds', async () => {
    const { queue, calls } = fakeQueue();
    expect(await deliver(queue).nack(1_500)).toBe(true);
    expect(calls).toEqual(['visibility handle-1 2']);
  });

  it('neither acks nor nacks once its visibility timeout ran out: another member may hold it', async () => {
    const { queue, calls } = fakeQueue();
    const delivery = deliver(queue);
    vi.setSystemTime(10_000);
    expect(await delivery.ack()).toBe(false);
    expect(await delivery.nack(0)).toBe(false);
    expect(calls).toEqual([]);
  });

  it('extends only when a quarter of the timeout is spent, and the extension moves the deadline', async () => {
    const { queue, calls } = fakeQueue();
    const delivery = deliver(queue);
    vi.setSystemTime(2_000);
    await delivery.extend();
    expect(calls).toEqual([]);
    vi.setSystemTime(3_000);
    await delivery.extend();
    expect(calls).toEqual(['visibility handle-1 10']);
    vi.setSystemTime(12_000);
    expect(await delivery.ack()).toBe(true);
  });
});
