import type { EncodedOutgoingMessage } from '@eventloom/core';
import type { IHeaders, Message } from 'kafkajs';

/** CloudEvents Kafka protocol binding, binary mode: attributes as `ce_` headers. */
export const KAFKA_HEADER_PREFIX = 'ce_';

export const KAFKA_BINDING = { headerPrefix: KAFKA_HEADER_PREFIX } as const;

/** The record for an encoded envelope; its key is the partition key, so a key stays in one partition. */
export function toRecord(message: Pick<EncodedOutgoingMessage, 'key' | 'headers' | 'body'>): Message {
  return { key: message.key, value: asBuffer(message.body), headers: { ...message.headers } };
}

/** A raw record (a dead letter, injected bytes) keyed by its partition key header when it has one. */
export function toRawRecord(headers: Readonly<Record<string, string>>, body: Uint8Array): Message {
  return {
    key: headers[`${KAFKA_HEADER_PREFIX}partitionkey`] ?? null,
    value: asBuffer(body),
    headers: { ...headers },
  };
}

/** Header values as the strings they were published as (kafkajs hands back Buffers). */
export function headersOf(headers: IHeaders | undefined): Record<string, string> {
  const decoded: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    const last = Array.isArray(value) ? value[value.length - 1] : value;
    if (last !== undefined) decoded[name] = last.toString();
  }
  return decoded;
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
