import {
  CreateTopicCommand,
  GetSubscriptionAttributesCommand,
  ListSubscriptionsByTopicCommand,
  SNSClient,
} from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand, GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Delivery, Envelope } from '@eventloom/core';
import { createEnvelope } from '@eventloom/core';
import { quietPeriod, waitFor } from '@eventloom/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { motoEnv, runPrefix, transportOptions } from './testing/moto.js';
import type { SqsTransport } from './transport.js';
import { createSqsTransport } from './transport.js';

const env = motoEnv();

describe.skipIf(env === undefined)('SNS/SQS topology on the server', () => {
  if (env === undefined) return;
  const opened: SqsTransport[] = [];
  const open = (options: Parameters<typeof transportOptions>[1]) => {
    const transport = createSqsTransport(transportOptions(env, options));
    opened.push(transport);
    return transport;
  };
  const sns = new SNSClient({ region: env.region, endpoint: env.endpoint, credentials: env.credentials });
  const sqs = new SQSClient({ region: env.region, endpoint: env.endpoint, credentials: env.credentials });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((transport) => transport.close()));
  });

  it('per context: one SNS topic, each group filtered to its topics, widened when a member reads more', async () => {
    const transport = open({ namePrefix: runPrefix('ctx'), layout: 'topic-per-context' });
    const got = { billing: [] as Delivery[], audit: [] as Delivery[] };
    await transport.subscribe({ group: 'billing', topics: ['orders.placed'] }, async (delivery) => {
      got.billing.push(delivery);
    });
    await transport.subscribe({ group: 'billing', topics: ['orders.cancelled'] }, async (delivery) => {
      got.billing.push(delivery);
    });
    await transport.subscribe({ group: 'audit', topics: ['orders.shipped'] }, async (delivery) => {
      got.audit.push(delivery);
    });
    const sent = ['orders.placed', 'orders.cancelled', 'orders.shipped', 'orders.returned'].map(message);
    await transport.publish(sent.map((envelope) => ({ topic: envelope.type, envelope })));
    await waitFor(
      () => got.billing.length >= 2 && got.audit.length >= 1,
      { timeoutMs: 20_000 },
      () => 'two messages for billing, one for audit',
    );
    await quietPeriod(1_500);
    expect(got.billing.map((delivery) => delivery.topic).sort()).toEqual([
      'orders.cancelled',
      'orders.placed',
    ]);
    expect(got.audit.map((delivery) => delivery.topic)).toEqual(['orders.shipped']);
    const { TopicArn: topicArn } = await sns.send(
      new CreateTopicCommand({ Name: transport.names.snsTopic('orders.placed') }),
    );
    const { Subscriptions = [] } = await sns.send(
      new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }),
    );
    expect(Subscriptions).toHaveLength(2);
    const policies = await Promise.all(
      Subscriptions.map(async ({ SubscriptionArn }) => {
        const read = await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn }));
        return read.Attributes?.FilterPolicy;
      }),
    );
    expect(policies.map((policy) => JSON.parse(policy ?? '{}')).sort(byText)).toEqual(
      [{ eventType: ['orders.cancelled', 'orders.placed'] }, { eventType: ['orders.shipped'] }].sort(byText),
    );
  });

  it('provisions again without change, with long names shortened, a redrive queue and one policy statement', async () => {
    const transport = open({ namePrefix: runPrefix('top'), fifo: true });
    const group = `fulfilment.${'a-rather-long-consumer-group-name-'.repeat(3)}`;
    const request = { group, topics: ['orders.placed', 'orders.cancelled'], maxDeliveries: 4 };
    await transport.provision(request);
    await transport.provision(request);
    const queueName = transport.names.queue(group);
    expect(queueName.length).toBeLessThanOrEqual(80);
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: queueName }));
    const { Attributes = {} } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }),
    );
    expect(JSON.parse(Attributes.RedrivePolicy ?? '{}')).toMatchObject({
      deadLetterTargetArn: expect.stringContaining(transport.names.deadLetterQueue(group)),
      maxReceiveCount: 7,
    });
    expect(JSON.parse(Attributes.Policy ?? '{}').Statement).toHaveLength(1);
    expect(Attributes.FifoQueue).toBe('true');
  });
});

function message(type: string): Envelope {
  return createEnvelope({ type, data: { type }, partitionkey: 'order-1' });
}

function byText(a: unknown, b: unknown): number {
  return JSON.stringify(a).localeCompare(JSON.stringify(b));
}
