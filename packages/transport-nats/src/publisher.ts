import type { OutgoingMessage } from '@eventloom/core';
import { encodeBatch, MessageTooLargeError, withTimeout } from '@eventloom/core';
import type { JetStreamClient } from '@nats-io/jetstream';
import type { MsgHdrs } from '@nats-io/transport-node';
import { NATS_HEADER_PREFIX, toNatsHeaders } from './binding.js';
import { transportErrorOf } from './errors.js';
import type { SubjectNaming } from './names.js';
import { partitionOf } from './names.js';

export interface PublisherLimits {
  readonly publishTimeoutMs: number;
  /** Largest encoded envelope (the transport's `maxMessageBytes`). */
  readonly maxMessageBytes: number;
  /** The server's max_payload: headers as NATS frames them plus body. */
  readonly maxPayload: number;
  /** The stream's partitions per topic. */
  readonly partitions: number;
}

interface Prepared {
  readonly subject: string;
  readonly topic: string;
  readonly headers: MsgHdrs;
  readonly body: Uint8Array;
  readonly msgID: string;
  readonly key: string;
}

/**
 * Publishes to JetStream, each message on its topic's partition for its key (a dead letter's key
 * is read from its headers), and resolves once every PubAck is in. Each message carries its envelope
 * id as `Nats-Msg-Id`, so a retry of a batch the server partly stored is dropped as a duplicate
 * within the stream's duplicate window.
 */
export class Publisher {
  constructor(
    private readonly js: JetStreamClient,
    private readonly naming: SubjectNaming,
    private readonly limits: PublisherLimits,
  ) {}

  async publish(batch: readonly OutgoingMessage[]): Promise<void> {
    const { maxMessageBytes, publishTimeoutMs } = this.limits;
    const encoded = encodeBatch(batch, { headerPrefix: NATS_HEADER_PREFIX, maxMessageBytes });
    if (encoded.length === 0) return;
    const prepared = encoded.map(({ topic, headers, body, id, key }) =>
      this.prepare(topic, headers, body, id, key),
    );
    await withTimeout(
      this.sendInKeyOrder(prepared),
      publishTimeoutMs,
      `publishing ${prepared.length} messages`,
    );
  }

  /** Publishes bytes as they are (dead letters); deduplicated per topic and envelope id. */
  async publishRaw(
    topic: string,
    headers: Readonly<Record<string, string>>,
    body: Uint8Array,
  ): Promise<void> {
    const id = headers[`${NATS_HEADER_PREFIX}id`];
    const key = headers[`${NATS_HEADER_PREFIX}partitionkey`] ?? '';
    const prepared = this.prepare(topic, headers, body, id === undefined ? '' : `${topic}/${id}`, key);
    await withTimeout(this.send(prepared), this.limits.publishTimeoutMs, `publishing to '${topic}'`);
  }

  /** Everything that can fail before sending fails here, for the whole batch, before any of it goes out. */
  private prepare(
    topic: string,
    encodedHeaders: Readonly<Record<string, string>>,
    body: Uint8Array,
    msgID: string,
    key: string,
  ): Prepared {
    const headers = toNatsHeaders(encodedHeaders);
    const wireSize = body.byteLength + headerBlockSize({ ...encodedHeaders, 'Nats-Msg-Id': msgID });
    if (wireSize > this.limits.maxPayload) {
      throw new MessageTooLargeError(topic, msgID, wireSize, this.limits.maxPayload);
    }
    const subject = this.naming.subjectOf(topic, partitionOf(key, this.limits.partitions));
    return { subject, topic, headers, body, msgID, key };
  }

  /**
   * Messages of different keys go out together; one of a key waits for the PubAck of the key's
   * previous one, so a failure never leaves a later message of a key stored before an earlier one.
   */
  private async sendInKeyOrder(messages: readonly Prepared[]): Promise<void> {
    const previous = new Map<string, Promise<void>>();
    const sent = messages.map((message) => {
      const done = (previous.get(message.key) ?? Promise.resolve()).then(() => this.send(message));
      previous.set(message.key, done);
      return done;
    });
    await Promise.all(sent);
  }

  private async send(message: Prepared): Promise<void> {
    const { publishTimeoutMs } = this.limits;
    try {
      await this.js.publish(message.subject, message.body, {
        headers: message.headers,
        timeout: publishTimeoutMs,
        ...(message.msgID.length === 0 ? {} : { msgID: message.msgID }),
      });
    } catch (error) {
      throw transportErrorOf(error, `publishing '${message.msgID}' to '${message.topic}'`, publishTimeoutMs);
    }
  }
}

/** `NATS/1.0\r\n`, one `name: value\r\n` per header, a closing `\r\n`; names and values are ASCII here. */
function headerBlockSize(headers: Readonly<Record<string, string>>): number {
  let size = 12;
  for (const [name, value] of Object.entries(headers)) size += name.length + value.length + 4;
  return size;
}
