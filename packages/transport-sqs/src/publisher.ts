import type { PublishBatchRequestEntry, SNSClient } from '@aws-sdk/client-sns';
import { PublishBatchCommand } from '@aws-sdk/client-sns';
import type { OutgoingMessage } from '@eventloom/core';
import { chunkBySize, encodeBatch, MessageTooLargeError, TransportError, withTimeout } from '@eventloom/core';
import { awsCall } from './aws-call.js';
import { MAX_BATCH_ENTRIES, runLimited } from './batches.js';
import { SQS_HEADER_PREFIX, toAttributes, wireSize } from './binding.js';
import { contentId, fifoId } from './fifo.js';
import type { ResolvedSqsOptions } from './options.js';
import type { Topology } from './topology.js';

/** What SNS and SQS accept for one message, and for one PublishBatch: body plus attributes. */
export const SNS_MAX_BYTES = 256 * 1024;
/**
 * The envelope limit, measured as core measures it (body + `ce-` header names and values): SNS's
 * limit less 4 KiB for the attribute framing (types, JSON packing, the `eventType` attribute).
 */
export const MAX_ENVELOPE_BYTES = SNS_MAX_BYTES - 4 * 1024;

interface Outgoing {
  readonly topic: string;
  readonly entry: Omit<PublishBatchRequestEntry, 'Id'>;
  readonly size: number;
}

interface Raw {
  readonly topic: string;
  readonly id: string;
  readonly key: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
}

type Settings = Pick<
  ResolvedSqsOptions,
  'fifo' | 'publishTimeoutMs' | 'callTimeoutMs' | 'publishConcurrency'
>;

/**
 * Publishes through SNS PublishBatch: every message is encoded and size-checked before anything
 * is sent, then sent 10 at a time within 256 KiB per call. In FIFO mode the calls of one SNS topic
 * go one after another, so a key's messages reach the topic in publish order.
 */
export class SqsPublisher {
  constructor(
    private readonly sns: SNSClient,
    private readonly topology: Topology,
    private readonly settings: Settings,
  ) {}

  async publish(batch: readonly OutgoingMessage[]): Promise<void> {
    const encoded = encodeBatch(batch, {
      headerPrefix: SQS_HEADER_PREFIX,
      maxMessageBytes: MAX_ENVELOPE_BYTES,
    });
    await this.send(encoded.map((message) => this.outgoing(message)));
  }

  /** Bytes as they are, e.g. a dead letter or, in tests, something undecodable. */
  async publishRaw(
    topic: string,
    headers: Readonly<Record<string, string>>,
    body: Uint8Array,
  ): Promise<void> {
    const id = headers[`${SQS_HEADER_PREFIX}id`] ?? contentId(topic, headers, body);
    const key = headers[`${SQS_HEADER_PREFIX}partitionkey`] ?? id;
    await this.send([this.outgoing({ topic, id, key, headers, body })]);
  }

  private outgoing(message: Raw): Outgoing {
    const body = Buffer.from(message.body).toString('utf8');
    const attributes = toAttributes(message.topic, message.headers);
    const size = wireSize(body, attributes);
    if (size > SNS_MAX_BYTES) throw new MessageTooLargeError(message.topic, message.id, size, SNS_MAX_BYTES);
    const ordering = this.settings.fifo
      ? { MessageGroupId: fifoId(message.key), MessageDeduplicationId: fifoId(message.id) }
      : {};
    return {
      topic: message.topic,
      size,
      entry: { Message: body, MessageAttributes: attributes, ...ordering },
    };
  }

  private async send(messages: readonly Outgoing[]): Promise<void> {
    if (messages.length === 0) return;
    const what = `publishing ${messages.length} messages`;
    await withTimeout(this.sendAll(messages), this.settings.publishTimeoutMs, what);
  }

  private async sendAll(messages: readonly Outgoing[]): Promise<void> {
    const byTopic = await this.groupByTopicArn(messages);
    const tasks: Array<() => Promise<void>> = [];
    for (const [topicArn, entries] of byTopic) {
      const chunks = chunkBySize(entries, (message) => message.size, SNS_MAX_BYTES, MAX_BATCH_ENTRIES);
      if (this.settings.fifo) {
        tasks.push(async () => {
          for (const chunk of chunks) await this.publishChunk(topicArn, chunk);
        });
      } else tasks.push(...chunks.map((chunk) => () => this.publishChunk(topicArn, chunk)));
    }
    await runLimited(tasks, this.settings.publishConcurrency);
  }

  private async groupByTopicArn(messages: readonly Outgoing[]): Promise<Map<string, Outgoing[]>> {
    const topics = [...new Set(messages.map((message) => message.topic))];
    const arns = new Map(
      await Promise.all(topics.map(async (topic) => [topic, await this.topology.topicArn(topic)] as const)),
    );
    const byArn = new Map<string, Outgoing[]>();
    for (const message of messages) {
      const arn = arns.get(message.topic) as string;
      const list = byArn.get(arn);
      if (list === undefined) byArn.set(arn, [message]);
      else list.push(message);
    }
    return byArn;
  }

  private async publishChunk(topicArn: string, chunk: readonly Outgoing[]): Promise<void> {
    const entries = chunk.map((message, index) => ({ ...message.entry, Id: String(index) }));
    const input = { TopicArn: topicArn, PublishBatchRequestEntries: entries };
    const result = await awsCall(`publishing to ${topicArn}`, this.settings.callTimeoutMs, (abortSignal) =>
      this.sns.send(new PublishBatchCommand(input), { abortSignal }),
    );
    const failed = result.Failed ?? [];
    if (failed.length > 0) {
      const reasons = failed.map((entry) => `${entry.Code}: ${entry.Message}`).join('; ');
      throw new TransportError(
        `SNS refused ${failed.length} of ${chunk.length} messages to ${topicArn}: ${reasons}`,
      );
    }
  }
}
