import type {
  DeliveryHandler,
  SubscribeOptions,
  Subscription,
  SubscriptionEngineConfig,
} from '@eventloom/core';
import { resolveSubscribeOptions, startSubscription } from '@eventloom/core';
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
 * Joins a group: its durable pull consumer is created or updated, then this member pulls from it
 * with the engine's credit. Members of a group share the consumer, so each message goes to one.
 */
export async function subscribeMember(
  context: SubscriberContext,
  subscribeOptions: SubscribeOptions,
  handler: DeliveryHandler,
): Promise<Subscription> {
  const { nc, jsm, options, naming } = context;
  const resolved = resolveSubscribeOptions(subscribeOptions);
  const config = consumerConfig(resolved, options, naming);
  const stream = options.stream.name;
  try {
    await ensureConsumer(jsm, stream, config);
  } catch (error) {
    throw transportErrorOf(
      error,
      `creating the consumer of group '${resolved.group}'`,
      options.publishTimeoutMs,
    );
  }
  const nextSubject = `$JS.API.CONSUMER.MSG.NEXT.${stream}.${config.durable_name}`;
  const feed = new PullFeed(nc, nextSubject, options.consumer.pullExpiresMs, context.reconnects);
  const source = new NatsDeliverySource(feed, context.publisher, {
    nc,
    naming,
    ackTimeoutMs: resolved.ackTimeoutMs,
    requestTimeoutMs: options.publishTimeoutMs,
  });
  return startSubscription({
    ...engineOptions(options),
    source,
    options: resolved,
    binding: { headerPrefix: NATS_HEADER_PREFIX },
    handler,
  });
}

function engineOptions(
  options: ResolvedNatsOptions,
): Pick<SubscriptionEngineConfig, 'onError' | 'random' | 'closeTimeoutMs'> {
  const { onError, random, closeTimeoutMs } = options;
  return {
    ...(onError === undefined ? {} : { onError }),
    ...(random === undefined ? {} : { random }),
    ...(closeTimeoutMs === undefined ? {} : { closeTimeoutMs }),
  };
}
