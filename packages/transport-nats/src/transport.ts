import type {
  ConsumerLagReading,
  ConsumerLagSource,
  DeliveryHandler,
  OutgoingMessage,
  SubscribeOptions,
  Subscription,
  Transport,
  TransportCapabilities,
} from '@eventloom/core';
import { InvalidInputError, OpenSubscriptions, requireLagGroup } from '@eventloom/core';
import type { JetStreamManager } from '@nats-io/jetstream';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Reconnects } from './connection.js';
import { connectNats } from './connection.js';
import { transportErrorOf } from './errors.js';
import { readConsumerLag } from './lag.js';
import { SubjectNaming } from './names.js';
import type { NatsTransportOptions, ResolvedNatsOptions } from './options.js';
import { Publisher } from './publisher.js';
import { resolveNatsOptions } from './resolve-options.js';
import type { SubscriberContext } from './subscriber.js';
import { subscribeMember } from './subscriber.js';
import { ensureStream, streamConfig } from './topology.js';

/** Room left in the server's max_payload for NATS header framing and `Nats-Msg-Id`. */
const HEADER_ROOM_BYTES = 1_024;
const DEFAULT_MAX_PAYLOAD = 1_048_576;

export interface NatsTransport extends Transport, ConsumerLagSource {
  readonly connection: NatsConnection;
  readonly streamName: string;
  readonly subjects: SubjectNaming;
  /** Partitions per topic of the stream (`stream.partitions`). */
  readonly partitions: number;
}

/** Connects, creates or updates the stream, and returns the transport. */
export async function createNatsTransport(options: NatsTransportOptions): Promise<NatsTransport> {
  const resolved = resolveNatsOptions(options);
  const { connection, reconnects } = await connectNats(resolved);
  try {
    const jsm = await jetstreamManager(connection, { timeout: resolved.publishTimeoutMs });
    const naming = new SubjectNaming(resolved.subjectPrefix);
    await ensureStream(jsm, streamConfig(resolved, naming));
    return new JetStreamTransport(connection, reconnects, jsm, resolved, naming);
  } catch (error) {
    await connection.close();
    if (error instanceof InvalidInputError) throw error;
    throw transportErrorOf(
      error,
      `preparing the stream '${resolved.stream.name}'`,
      resolved.publishTimeoutMs,
    );
  }
}

class JetStreamTransport implements NatsTransport {
  readonly kind = 'nats';
  readonly capabilities: TransportCapabilities;
  private readonly context: SubscriberContext;
  private readonly subscriptions = new OpenSubscriptions(this.kind);
  private closing: Promise<void> | undefined;

  constructor(
    readonly connection: NatsConnection,
    reconnects: Reconnects,
    jsm: JetStreamManager,
    options: ResolvedNatsOptions,
    readonly subjects: SubjectNaming,
  ) {
    const maxPayload = connection.info?.max_payload ?? DEFAULT_MAX_PAYLOAD;
    const maxMessageBytes = options.maxMessageBytes ?? maxPayload - HEADER_ROOM_BYTES;
    // A group's partition consumers each have one message out at a time (see subscriber.ts).
    this.capabilities = {
      replayFromStart: options.stream.retention === 'limits',
      perKeyOrder: true,
      maxMessageBytes,
    };
    const publisher = new Publisher(jetstream(connection, { timeout: options.publishTimeoutMs }), subjects, {
      publishTimeoutMs: options.publishTimeoutMs,
      maxMessageBytes,
      maxPayload,
      partitions: options.stream.partitions,
    });
    this.context = { nc: connection, jsm, reconnects, options, naming: subjects, publisher };
  }

  get streamName(): string {
    return this.context.options.stream.name;
  }

  get partitions(): number {
    return this.context.options.stream.partitions;
  }

  publish(batch: readonly OutgoingMessage[]): Promise<void> {
    this.subscriptions.assertOpen();
    return this.context.publisher.publish(batch);
  }

  async subscribe(options: SubscribeOptions, handler: DeliveryHandler): Promise<Subscription> {
    this.subscriptions.assertOpen();
    return this.subscriptions.track(await subscribeMember(this.context, options, handler));
  }

  async consumerLag(group: string): Promise<readonly ConsumerLagReading[]> {
    this.subscriptions.assertOpen();
    requireLagGroup(group);
    const { jsm, options } = this.context;
    const { name, partitions } = options.stream;
    return readConsumerLag(jsm, name, group, partitions, options.publishTimeoutMs);
  }

  /** Closes once: a second call gets the first one's promise. */
  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    await this.subscriptions.closeAll();
    await this.connection.close();
  }
}
