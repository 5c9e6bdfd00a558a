import {
  chunkBySize,
  type EncodedOutgoingMessage,
  encodeBatch,
  encodedSize,
  type OutgoingMessage,
  TransportTimeoutError,
} from '@eventloom/core';
import type { Kafka, Message, Producer, TopicMessages } from 'kafkajs';
import { KAFKA_BINDING, toRawRecord, toRecord } from './binding.js';
import { asTransportCall } from './connection.js';
import { assertTopicName, type Topology } from './topology.js';

export interface PublisherSettings {
  readonly publishTimeoutMs: number;
  readonly maxMessageBytes: number;
}

/**
 * Sends batches with an idempotent producer and `acks: -1` (every in-sync replica), one send at
 * a time so that a key's messages keep their order across retries. kafkajs retries an idempotent
 * send without end; a send that outlives `publishTimeoutMs` rejects with a TransportTimeoutError
 * and its producer is dropped, so a late retry cannot interleave with the next batch.
 */
export class Publisher {
  private producer: Promise<Producer> | undefined;
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly kafka: Kafka,
    private readonly topology: Topology,
    private readonly settings: PublisherSettings,
  ) {}

  async publish(batch: readonly OutgoingMessage[]): Promise<void> {
    const encoded = encodeBatch(batch, { ...KAFKA_BINDING, maxMessageBytes: this.settings.maxMessageBytes });
    for (const [index, { topic }] of encoded.entries()) assertTopicName(topic, `batch[${index}].topic`);
    if (encoded.length === 0) return;
    await this.inTurn(`publishing ${encoded.length} messages`, async () => {
      await this.topology.ensure(encoded.map(({ topic }) => topic));
      for (const chunk of chunkBySize(encoded, requestSize, this.settings.maxMessageBytes))
        await this.send(toTopicMessages(chunk));
    });
  }

  /** Publishes raw bytes (a dead letter), creating the topic if needed. */
  async publishRaw(
    topic: string,
    headers: Readonly<Record<string, string>>,
    body: Uint8Array,
  ): Promise<void> {
    await this.inTurn(`publishing to '${topic}'`, async () => {
      await this.topology.ensure([topic]);
      await this.send([{ topic, messages: [toRawRecord(headers, body)] }]);
    });
  }

  async close(): Promise<void> {
    await this.tail.catch(() => {});
    await this.dropProducer();
  }

  private inTurn(what: string, work: () => Promise<void>): Promise<void> {
    const turn = this.tail.then(() => this.bounded(what, work));
    this.tail = turn.catch(() => {});
    return turn;
  }

  private async bounded(what: string, work: () => Promise<void>): Promise<void> {
    try {
      await asTransportCall(work(), this.settings.publishTimeoutMs, what);
    } catch (error) {
      if (error instanceof TransportTimeoutError) void this.dropProducer();
      throw error;
    }
  }

  private async send(topicMessages: TopicMessages[]): Promise<void> {
    const producer = await this.connectedProducer();
    await producer.sendBatch({ topicMessages, acks: -1, timeout: this.settings.publishTimeoutMs });
  }

  private connectedProducer(): Promise<Producer> {
    this.producer ??= this.openProducer();
    return this.producer;
  }

  private async openProducer(): Promise<Producer> {
    const producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
    });
    try {
      await producer.connect();
      return producer;
    } catch (error) {
      this.producer = undefined;
      await producer.disconnect().catch(() => {});
      throw error;
    }
  }

  private async dropProducer(): Promise<void> {
    const dropped = this.producer;
    this.producer = undefined;
    await dropped?.then((producer) => producer.disconnect()).catch(() => {});
  }
}

/** What a message adds to a request; chunks stay under maxMessageBytes so no request to one partition exceeds it. */
function requestSize(message: EncodedOutgoingMessage): number {
  return encodedSize(message) + Buffer.byteLength(message.key);
}

function toTopicMessages(messages: readonly EncodedOutgoingMessage[]): TopicMessages[] {
  const byTopic = new Map<string, Message[]>();
  for (const message of messages) {
    const records = byTopic.get(message.topic) ?? [];
    records.push(toRecord(message));
    byTopic.set(message.topic, records);
  }
  return [...byTopic].map(([topic, records]) => ({ topic, messages: records }));
}
