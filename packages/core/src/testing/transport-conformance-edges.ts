import { describe, expect, it } from 'vitest';
import type { Envelope } from '../envelope/envelope.js';
import { MessageTooLargeError, PayloadTooLargeError, TransportError } from '../errors.js';
import { encodeBinary } from '../transport/binding.js';
import { DEAD_LETTER_HEADERS } from '../transport/contract.js';
import { envelopeSize } from '../transport/size.js';
import type { UndecodableMessageData } from '../transport/subscription/poison.js';
import { UNDECODABLE_MESSAGE_TYPE } from '../transport/subscription/poison.js';
import {
  aMessage,
  Collector,
  type ConformanceKit,
  provisionGroup,
  toTopic,
} from './transport-conformance-fixtures.js';
import { quietPeriod } from './wait.js';

const utf8 = new TextEncoder();

export function describeEdges(kit: ConformanceKit): void {
  describe('edges', () => {
    it('12. dead-letters undecodable bytes with a reason, without crashing or blocking their key', async () => {
      const transport = await kit.transport();
      const topic = kit.topic('poison');
      const deadLetterTopic = kit.topic('poison-dead-letters');
      const prefix = kit.harness.headerPrefix;
      const valid = encodeBinary(aMessage({ partitionkey: 'poisoned' }), { headerPrefix: prefix });
      const poison = [
        { headers: { 'x-not': 'an envelope' }, body: utf8.encode('not an envelope at all') },
        { headers: valid.headers, body: utf8.encode('{"truncated": ') },
        { headers: { ...valid.headers, [`${prefix}schemaversion`]: 'two' }, body: valid.body },
      ];
      const problems = [/missing 'specversion'/, /not JSON/, /schemaversion/];
      const got = new Collector();
      const dead = new Collector();
      await transport.subscribe(
        { group: kit.group('poison-reader'), topics: [deadLetterTopic] },
        dead.handler(),
      );
      await transport.subscribe(
        { group: kit.group('poison'), topics: [topic], deadLetterTopic },
        got.handler(),
      );
      for (const message of poison) await kit.harness.injectRaw(topic, message);
      const behind = [aMessage({ partitionkey: 'poisoned' }), aMessage({ partitionkey: 'poisoned' })];
      await transport.publish(toTopic(topic, behind));
      await kit.waitFor(
        () => got.seen.length >= behind.length && dead.seen.length >= poison.length,
        () => `2 handled (got ${got.seen.length}) and 3 dead letters (got ${dead.seen.length})`,
      );
      expect(got.seen.map((seen) => seen.envelope)).toEqual(behind);
      const letters = dead.seen.map((seen) => seen.envelope);
      expect(letters.every((letter) => letter.type === UNDECODABLE_MESSAGE_TYPE)).toBe(true);
      for (const [index, problem] of problems.entries()) {
        const letter = letters.find((candidate) => dataOf(candidate).body === base64(poison[index]?.body));
        expect(letter?.headers?.[DEAD_LETTER_HEADERS.reason]).toMatch(problem);
        expect(dataOf(letter).topic).toBe(topic);
      }
      const later = aMessage({ partitionkey: 'poisoned' });
      await transport.publish(toTopic(topic, [later]));
      await kit.waitFor(
        () => got.of(later.id).length > 0,
        () => 'a message published after the poison',
      );
    });

    it('13. publish resolves once the broker holds the batch: another client reads it all', async () => {
      const topic = kit.topic('durable');
      const group = kit.group('durable');
      const publisher = await kit.transport();
      await provisionGroup(publisher, group, [topic]);
      const envelopes = Array.from({ length: 20 }, () => aMessage());
      await publisher.publish([]);
      await publisher.publish(toTopic(topic, envelopes));
      await publisher.close();
      const reader = await kit.transport();
      const got = new Collector();
      await reader.subscribe({ group, topics: [topic], from: 'start' }, got.handler());
      await kit.waitFor(
        () => got.ids().size >= envelopes.length,
        () => `20 messages, got ${got.ids().size}`,
      );
      expect(got.ids()).toEqual(new Set(envelopes.map((envelope) => envelope.id)));
    });

    it(
      '13. publish to an unreachable broker rejects with a typed error within its timeout',
      async () => {
        const { transport, publishTimeoutMs } = await kit.harness.unreachable();
        const started = Date.now();
        try {
          await expect(
            transport.publish(toTopic(kit.topic('unreachable'), [aMessage()])),
          ).rejects.toBeInstanceOf(TransportError);
          expect(Date.now() - started).toBeLessThan(publishTimeoutMs * 1.5 + 2_000 * kit.scale);
        } finally {
          await transport.close().catch(() => {});
        }
      },
      kit.testTimeout(60_000),
    );

    it(
      '14. passes a message at the size limit whole; one byte over is a typed error before anything is sent',
      async () => {
        const transport = await kit.transport();
        const limit = transport.capabilities.maxMessageBytes;
        const prefix = kit.harness.headerPrefix;
        const topic = kit.topic('size');
        const largest = messageOfSize(limit, prefix);
        const tooLarge = messageOfSize(limit + 1, prefix);
        expect(envelopeSize(largest, { headerPrefix: prefix })).toBe(limit);
        const got = new Collector();
        await transport.subscribe({ group: kit.group('size'), topics: [topic] }, got.handler());
        const small = aMessage();
        const rejected = transport.publish(toTopic(topic, [small, tooLarge]));
        await expect(rejected).rejects.toBeInstanceOf(MessageTooLargeError);
        await expect(rejected).rejects.toBeInstanceOf(PayloadTooLargeError);
        await transport.publish(toTopic(topic, [largest]));
        await kit.waitFor(
          () => got.seen.length >= 1,
          () => 'the largest message',
        );
        await quietPeriod(200 * kit.scale);
        expect(got.seen.map((seen) => seen.envelope)).toEqual([largest]);
      },
      kit.testTimeout(60_000),
    );
  });
}

/** A message whose encoded size is exactly `bytes`, padded in its data. */
function messageOfSize(bytes: number, headerPrefix: string): Envelope {
  const base = aMessage({ data: { pad: '' } });
  const padding = bytes - envelopeSize(base, { headerPrefix });
  return { ...base, data: { pad: 'x'.repeat(padding) } };
}

function dataOf(letter: Envelope | undefined): Partial<UndecodableMessageData> {
  return (letter?.data ?? {}) as Partial<UndecodableMessageData>;
}

function base64(bytes: Uint8Array | undefined): string {
  return Buffer.from(bytes ?? new Uint8Array()).toString('base64');
}
