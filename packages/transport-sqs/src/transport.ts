import type {
  ConsumerLagReading,
  ConsumerLagSource,
  DeliveryHandler,
  OutgoingMessage,
  ResolvedSubscribeOptions,
  SubscribeOptions,
  Subscription,
  Transport,
  TransportCapabilities,
} from '@eventloom/core';
import {
  engineTuning,
  OpenSubscriptions,
  requireLagGroup,
  resolveSubscribeOptions,
  startSubscription,
} from '@eventloom/core';
import { SQS_HEADER_PREFIX } from './binding.js';
import type { AwsClients } from './clients.js';
import { createClients } from './clients.js';
import { queueLag } from './lag.js';
import { TopologyNames } from './names.js';
import type { ResolvedSqsOptions, SqsTransportOptions } from './options.js';
import { resolveSqsOptions } from './options.js';
import { MAX_ENVELOPE_BYTES, SqsPublisher } from './publisher.js';
import { GroupQueue, visibilitySeconds } from './queue.js';
import { QueueSource } from './subscriber.js';
import type { GroupPlan } from './topology.js';
import { Topology } from './topology.js';

/** SQS's own redrive only catches what the engine could not dead-letter: a few receives later. */
const REDRIVE_MARGIN = 3;
const MAX_RECEIVE_COUNT = 1_000;

export type ProvisionRequest = Pick<
  SubscribeOptions,
  'group' | 'topics' | 'deadLetterTopic' | 'maxDeliveries'
>;

export interface SqsTransport extends Transport, ConsumerLagSource {
  /** The physical names of topics and queues. */
  readonly names: TopologyNames;
  /** Creates what a group needs (topics, queue, dead-letter queue, subscriptions) without consuming. */
  provision(request: ProvisionRequest): Promise<void>;
  /**
   * One reading for the group's queue, `topic` being the queue's name: the messages it holds,
   * waiting, in flight or delayed (a nack with a delay keeps its message in flight). SQS counts
   * these approximately and with eventual consistency: a figure can trail sends and deletes for
   * up to a minute after they stop. A group without a queue has no readings.
   */
  consumerLag(group: string): Promise<readonly ConsumerLagReading[]>;
}

export function createSqsTransport(options: SqsTransportOptions): SqsTransport {
  return new SnsSqsTransport(resolveSqsOptions(options));
}

class SnsSqsTransport implements SqsTransport {
  readonly kind = 'sqs';
  readonly capabilities: TransportCapabilities;
  readonly names: TopologyNames;
  private readonly clients: AwsClients;
  private readonly topology: Topology;
  private readonly publisher: SqsPublisher;
  private readonly subscriptions = new OpenSubscriptions(this.kind);
  private closing: Promise<void> | undefined;

  constructor(private readonly options: ResolvedSqsOptions) {
    this.capabilities = {
      replayFromStart: false,
      perKeyOrder: options.fifo,
      maxMessageBytes: MAX_ENVELOPE_BYTES,
    };
    this.clients = createClients(options);
    this.names = new TopologyNames(options);
    this.topology = new Topology(this.clients, this.names, options);
    this.publisher = new SqsPublisher(this.clients.sns, this.topology, options);
  }

  async publish(batch: readonly OutgoingMessage[]): Promise<void> {
    this.subscriptions.assertOpen();
    await this.publisher.publish(batch);
  }

  async provision(request: ProvisionRequest): Promise<void> {
    this.subscriptions.assertOpen();
    await this.topology.provisionGroup(groupPlan(resolveSubscribeOptions(request)));
  }

  async subscribe(options: SubscribeOptions, handler: DeliveryHandler): Promise<Subscription> {
    this.subscriptions.assertOpen();
    const resolved = resolveSubscribeOptions(options);
    const queue = await this.topology.provisionGroup(groupPlan(resolved));
    const source = this.sourceFor(queue.url, resolved);
    const running = startSubscription({
      ...engineTuning(this.options),
      source,
      options: resolved,
      binding: { headerPrefix: SQS_HEADER_PREFIX },
      handler,
    });
    return this.subscriptions.track(running);
  }

  async consumerLag(group: string): Promise<readonly ConsumerLagReading[]> {
    this.subscriptions.assertOpen();
    requireLagGroup(group);
    return queueLag(this.clients.sqs, this.names.queue(group), this.options.callTimeoutMs);
  }

  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    await this.subscriptions.closeAll();
    this.clients.destroy();
  }

  private sourceFor(queueUrl: string, options: ResolvedSubscribeOptions): QueueSource {
    const queue = new GroupQueue(this.clients.sqs, queueUrl, this.options.callTimeoutMs);
    return new QueueSource(queue, this.publisher, {
      waitTimeSeconds: this.options.waitTimeSeconds,
      visibilitySeconds: visibilitySeconds(options.ackTimeoutMs),
      fallbackTopic: options.topics[0] as string,
    });
  }
}

function groupPlan(options: ResolvedSubscribeOptions): GroupPlan {
  return {
    group: options.group,
    topics: options.topics,
    deadLetterTopic: options.deadLetterTopic,
    maxReceiveCount: Math.min(options.maxDeliveries + REDRIVE_MARGIN, MAX_RECEIVE_COUNT),
  };
}
