import {
  type DeliveryHandler,
  type OutgoingMessage,
  type SubscribeOptions,
  type Subscription,
  type SubscriptionEngineConfig,
  type Transport,
  type TransportCapabilities,
  TransportClosedError,
} from '@eventloom/core';
import type { Kafka } from 'kafkajs';
import { connect } from './connection.js';
import { type KafkaTransportOptions, type ResolvedKafkaOptions, resolveKafkaOptions } from './options.js';
import { Publisher } from './publisher.js';
import { subscribe } from './subscriber.js';
import { Topology } from './topology.js';

export interface KafkaTransport extends Transport {
  readonly kafka: Kafka;
}

/** The Eventloom transport on Apache Kafka (kafkajs); see the README for guarantees and limits. */
export function createKafkaTransport(options: KafkaTransportOptions): KafkaTransport {
  return new KafkaJsTransport(resolveKafkaOptions(options));
}

class KafkaJsTransport implements KafkaTransport {
  readonly kind = 'kafka';
  readonly capabilities: TransportCapabilities;
  readonly kafka: Kafka;
  private readonly topology: Topology;
  private readonly publisher: Publisher;
  private readonly subscriptions = new Set<Subscription>();
  private closed = false;

  constructor(private readonly options: ResolvedKafkaOptions) {
    this.kafka = connect(options);
    this.topology = new Topology(this.kafka.admin(), options.topology);
    this.publisher = new Publisher(this.kafka, this.topology, options);
    this.capabilities = {
      replayFromStart: true,
      perKeyOrder: true,
      maxMessageBytes: options.maxMessageBytes,
    };
  }

  publish(batch: readonly OutgoingMessage[]): Promise<void> {
    this.assertOpen();
    return this.publisher.publish(batch);
  }

  async subscribe(options: SubscribeOptions, handler: DeliveryHandler): Promise<Subscription> {
    this.assertOpen();
    const { topology, publisher, kafka } = this;
    const running = await subscribe(
      { kafka, topology, publisher, options: this.options, engine: this.engine() },
      options,
      handler,
    );
    const subscription: Subscription = {
      close: async () => {
        this.subscriptions.delete(subscription);
        await running.close();
      },
    };
    this.subscriptions.add(subscription);
    return subscription;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
    await this.publisher.close();
    await this.topology.close().catch(() => {});
  }

  private engine(): Pick<SubscriptionEngineConfig, 'onError' | 'random' | 'closeTimeoutMs'> {
    const { onError, random, closeTimeoutMs } = this.options;
    return {
      ...(onError === undefined ? {} : { onError }),
      ...(random === undefined ? {} : { random }),
      ...(closeTimeoutMs === undefined ? {} : { closeTimeoutMs }),
    };
  }

  private assertOpen(): void {
    if (this.closed) throw new TransportClosedError(this.kind);
  }
}
