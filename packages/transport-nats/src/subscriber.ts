import type { DeliveryHandler, SubscribeOptions, Subscription } from '@eventloom/core';
import { engineTuning, resolveSubscribeOptions, startSubscription } from '@eventloom/core';
import type { JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { NATS_HEADER_PREFIX } from './binding.js';
import type { Reconnects } from './connection.js';
import { NatsDeliverySource } from './delivery-source.js';
import { transportErrorOf } from './errors.js';
import type { SubjectNaming } from './names.js';
import type { ResolvedNatsOptions } from './options.js';
import type { Publisher } from './publisher.js';
import { PullFeed } from './pull-feed.js';
import { consumerConfig, ensureConsumer } from './topology.js';

export interface SubscriberContext {
  readonly nc: NatsConnection;
  readonly jsm: JetStreamManager;
  readonly reconnects: Reconnects;
  readonly options: ResolvedNatsOptions;
  readonly naming: SubjectNaming;
  readonly publisher: Publisher;
}

/**
 * Joins a group: its partition consumers are created or updated, then this member pulls from
 * every one of them with the engine's credit. A partition consumer has one message out at a
 * time, to one member, so a key's messages are handled one after the other, in order, whichever
 * members handle them.
 */
export async function subscribeMember(
  context: SubscriberContext,
  subscribeOptions: SubscribeOptions,
  handler: DeliveryHandler,
): Promise<Subscription> {
  const { nc, jsm, options, naming } = context;
  const resolved = resolveSubscribeOptions(subscribeOptions);
  const stream = options.stream.name;
  const configs = Array.from({ length: options.stream.partitions }, (_, partition) =>
    consumerConfig(resolved, options, naming, partition),
  );
  try {
    await Promise.all(configs.map((config) => ensureConsumer(jsm, stream, config)));
  } catch (error) {
    throw transportErrorOf(
      error,
      `creating the consumers of group '${resolved.group}'`,
      options.publishTimeoutMs,
    );
  }
  const nextSubjects = configs.map(
    ({ durable_name }) => `$JS.API.CONSUMER.MSG.NEXT.${stream}.${durable_name}`,
  );
  const feed = new PullFeed(
    nc,
    nextSubjects,
    options.consumer.pullExpiresMs,
    resolved.ackTimeoutMs,
    context.reconnects,
  );
  const source = new NatsDeliverySource(feed, context.publisher, {
    nc,
    naming,
    ackTimeoutMs: resolved.ackTimeoutMs,
    requestTimeoutMs: options.publishTimeoutMs,
  });
  return startSubscription({
    ...engineTuning(options),
    source,
    options: resolved,
    binding: { headerPrefix: NATS_HEADER_PREFIX },
    handler,
  });
}
