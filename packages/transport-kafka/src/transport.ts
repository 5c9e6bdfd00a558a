import {
  type ConsumerLagReading,
  type ConsumerLagSource,
  type DeliveryHandler,
  engineTuning,
  OpenSubscriptions,
  type OutgoingMessage,
  requireLagGroup,
  SUBSCRIBE_DEFAULTS,
  type SubscribeOptions,
  type Subscription,
  type Transport,
  type TransportCapabilities,
} from '@eventloom/core';
import type { Kafka } from 'kafkajs';
import { asTransportCall, connect } from './connection.js';
import { GroupStarts, readConsumerLag } from './consumer-lag.js';
import { type KafkaTransportOptions, type ResolvedKafkaOptions, resolveKafkaOptions } from './options.js';
import { Publisher } from './publisher.js';
import { subscribe } from './subscriber.js';
import { Topology } from './topology.js';

export interface KafkaTransport extends Transport, ConsumerLagSource {
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
  private readonly subscriptions = new OpenSubscriptions(this.kind);
  private readonly groupStarts = new GroupStarts();

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
    this.subscriptions.assertOpen();
    return this.publisher.publish(batch);
  }

  async subscribe(options: SubscribeOptions, handler: DeliveryHandler): Promise<Subscription> {
    this.subscriptions.assertOpen();
    const { topology, publisher, kafka } = this;
    const running = await subscribe(
      { kafka, topology, publisher, options: this.options, engine: engineTuning(this.options) },
      options,
      handler,
    );
    this.groupStarts.record(options.group, options.topics, options.from ?? SUBSCRIBE_DEFAULTS.from);
    return this.subscriptions.track(running);
  }

  /** See `readConsumerLag`; a broker that does not answer within `publishTimeoutMs` fails with a TransportError. */
  async consumerLag(group: string): Promise<readonly ConsumerLagReading[]> {
    this.subscriptions.assertOpen();
    requireLagGroup(group);
    const reading = async () =>
      readConsumerLag(await this.topology.connected(), group, this.groupStarts.of(group));
    return asTransportCall(reading(), this.options.publishTimeoutMs, `reading the lag of group '${group}'`);
  }

  async close(): Promise<void> {
    await this.subscriptions.closeAll();
    await this.publisher.close();
    await this.topology.close().catch(() => {});
  }
}
