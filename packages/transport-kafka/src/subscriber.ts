import {
  type DeliveryHandler,
  type EngineTuning,
  resolveSubscribeOptions,
  type SubscribeOptions,
  type Subscription,
  startSubscription,
} from '@eventloom/core';
import type { Kafka } from 'kafkajs';
import type { CommittedOffset } from './assignment-epoch.js';
import { KAFKA_BINDING } from './binding.js';
import { asTransportCall } from './connection.js';
import { KafkaDeliverySource } from './delivery-source.js';
import { GroupMember } from './group-member.js';
import type { ResolvedKafkaOptions } from './options.js';
import type { Publisher } from './publisher.js';
import { assertTopicName, type Topology } from './topology.js';

export interface SubscriberContext {
  readonly kafka: Kafka;
  readonly topology: Topology;
  readonly publisher: Publisher;
  readonly options: ResolvedKafkaOptions;
  readonly engine: EngineTuning;
}

/**
 * One subscription is one member of the Kafka consumer group named after the Eventloom group,
 * feeding the shared subscription engine (per-key order, concurrency, retries in place,
 * dead letters). Resolves once the member has its first assignment.
 */
export async function subscribe(
  context: SubscriberContext,
  options: SubscribeOptions,
  handler: DeliveryHandler,
): Promise<Subscription> {
  const resolved = resolveSubscribeOptions(options);
  for (const [index, topic] of resolved.topics.entries())
    assertTopicName(topic, `subscribe.topics[${index}]`);
  assertTopicName(resolved.deadLetterTopic, 'subscribe.deadLetterTopic');
  const { topology, options: kafka } = context;
  await ensureTopics(topology, [...resolved.topics, resolved.deadLetterTopic], kafka.publishTimeoutMs);
  const member = new GroupMember(context.kafka, committedOffsets(topology, resolved.group), {
    group: resolved.group,
    topics: resolved.topics,
    fromBeginning: resolved.from === 'start',
    ackTimeoutMs: resolved.ackTimeoutMs,
    joinTimeoutMs: kafka.consumer.rebalanceTimeoutMs + kafka.publishTimeoutMs,
    consumer: kafka.consumer,
    report: context.engine.onError ?? (() => {}),
  });
  await member.join();
  return startSubscription({
    ...context.engine,
    source: new KafkaDeliverySource(member, context.publisher, resolved.ackTimeoutMs),
    options: resolved,
    binding: KAFKA_BINDING,
    handler,
  });
}

function ensureTopics(topology: Topology, topics: string[], timeoutMs: number): Promise<void> {
  return asTransportCall(topology.ensure(topics), timeoutMs, `creating topics ${topics.join(', ')}`);
}

function committedOffsets(topology: Topology, groupId: string) {
  return async (topic: string): Promise<readonly CommittedOffset[]> => {
    const admin = await topology.connected();
    const [found] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return found?.partitions ?? [];
  };
}
