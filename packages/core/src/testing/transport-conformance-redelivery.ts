import { describe, expect, it } from 'vitest';
import { DEAD_LETTER_HEADERS } from '../transport/contract.js';
import {
  aMessage,
  Collector,
  type ConformanceKit,
  FAST_RETRY,
  gate,
  numberOf,
  publishAll,
  subscribeMany,
  toTopic,
} from './transport-conformance-fixtures.js';
import { quietPeriod } from './wait.js';

export function describeRedelivery(kit: ConformanceKit): void {
  describe('redelivery', () => {
    for (const how of ['nack', 'exception'] as const) {
      it(`4. redelivers after a ${how}, with a rising attempt count`, async () => {
        const transport = await kit.transport();
        const topic = kit.topic(how);
        const got = new Collector();
        const nacksTookEffect: boolean[] = [];
        await transport.subscribe(
          { group: kit.group(how), topics: [topic], retryBackoff: FAST_RETRY },
          got.handler(0, async (delivery) => {
            if (delivery.attempt >= 3) return;
            if (how === 'exception') throw new Error(`failing attempt ${delivery.attempt}`);
            nacksTookEffect.push(await delivery.nack(0, `not yet (attempt ${delivery.attempt})`));
          }),
        );
        const message = aMessage();
        await transport.publish(toTopic(topic, [message]));
        await kit.waitFor(
          () => got.seen.length >= 3,
          () => `3 attempts, got ${got.seen.length}`,
        );
        await quietPeriod(100 * kit.scale);
        expect(got.seen.map((seen) => [seen.envelope.id, seen.attempt])).toEqual([
          [message.id, 1],
          [message.id, 2],
          [message.id, 3],
        ]);
        if (how === 'nack') expect(nacksTookEffect).toEqual([true, true]);
      });
    }

    it('5. gives an unacked message to a member again after the ack timeout, and an acked one never', async () => {
      const topic = kit.topic('ack-timeout');
      const members = await Promise.all([1, 2].map(() => kit.transport()));
      const [slow, other] = [aMessage({ partitionkey: 'slow' }), aMessage({ partitionkey: 'other' })];
      const got = new Collector();
      const released = gate();
      const staleAcks: boolean[] = [];
      const options = {
        group: kit.group('ack-timeout'),
        topics: [topic],
        maxInFlight: 1,
        ackTimeoutMs: kit.ackTimeoutMs,
      };
      await subscribeMany(members, options, (member) =>
        got.handler(member, async (delivery) => {
          if (delivery.envelope.id === slow.id && delivery.attempt === 1) {
            await released.opened;
            staleAcks.push(await delivery.ack());
          }
        }),
      );
      await members[0]?.publish(toTopic(topic, [slow, other]));
      await kit.waitFor(
        () => got.of(slow.id).length >= 2,
        () => 'the slow message a second time',
      );
      released.open();
      await kit.waitFor(
        () => staleAcks.length === 1,
        () => 'the first handler to finish',
      );
      await quietPeriod(3 * kit.ackTimeoutMs);
      expect(got.of(slow.id).map((seen) => seen.attempt)).toEqual([1, 2]);
      expect(got.of(other.id).map((seen) => seen.attempt)).toEqual([1]);
      expect(staleAcks).toEqual([false]);
    });

    it('6. dead-letters after maxDeliveries with the reason, and carries on with the next messages', async () => {
      const transport = await kit.transport();
      const topic = kit.topic('dead');
      const deadLetterTopic = kit.topic('dead-letters');
      const group = kit.group('dead');
      const failing = aMessage({ partitionkey: 'k' });
      const after = [
        aMessage({ partitionkey: 'k' }),
        aMessage({ partitionkey: 'k' }),
        aMessage({ partitionkey: 'l' }),
      ];
      const got = new Collector();
      const dead = new Collector();
      await transport.subscribe(
        { group: kit.group('dead-reader'), topics: [deadLetterTopic] },
        dead.handler(),
      );
      await transport.subscribe(
        { group, topics: [topic], maxDeliveries: 3, retryBackoff: FAST_RETRY, deadLetterTopic },
        got.handler(0, async (delivery) => {
          if (delivery.envelope.id === failing.id) throw new Error(`boom on attempt ${delivery.attempt}`);
        }),
      );
      await transport.publish(toTopic(topic, [failing, ...after]));
      await kit.waitFor(
        () => dead.seen.length >= 1 && after.every((envelope) => got.of(envelope.id).length > 0),
        () => `a dead letter (got ${dead.seen.length}) and the 3 later messages`,
      );
      expect(got.of(failing.id).map((seen) => seen.attempt)).toEqual([1, 2, 3]);
      const [letter] = dead.seen;
      const { headers, ...envelope } = letter?.envelope ?? failing;
      const { headers: _none, ...original } = failing;
      expect(envelope).toEqual(original);
      expect(headers?.[DEAD_LETTER_HEADERS.reason]).toContain('boom on attempt 3');
      expect(headers).toMatchObject({
        [DEAD_LETTER_HEADERS.attempts]: '3',
        [DEAD_LETTER_HEADERS.originalTopic]: topic,
        [DEAD_LETTER_HEADERS.group]: group,
      });
      expect(Number.isNaN(Date.parse(headers?.[DEAD_LETTER_HEADERS.deadLetteredAt] ?? ''))).toBe(false);
    });

    it(
      '7. keeps per-key order across redeliveries; a failing message holds back its key only',
      async (context) => {
        const publisher = await kit.transport();
        if (!publisher.capabilities.perKeyOrder) return context.skip();
        const topic = kit.topic('order');
        const keys = ['held', 'b', 'c', 'd'];
        const perKey = 25;
        const envelopes = Array.from({ length: keys.length * perKey }, (_, i) =>
          aMessage({ n: Math.floor(i / keys.length), partitionkey: keys[i % keys.length] as string }),
        );
        let holdingBack = true;
        const invocations: Array<{ key: string; n: number; ok: boolean }> = [];
        const members = await Promise.all([1, 2].map(() => kit.transport()));
        const options = {
          group: kit.group('order'),
          topics: [topic],
          maxInFlight: 4,
          maxDeliveries: 1_000,
          retryBackoff: FAST_RETRY,
        };
        await subscribeMany(members, options, () => async (delivery) => {
          const { partitionkey: key } = delivery.envelope;
          const n = numberOf(delivery.envelope);
          const fails = (key === 'held' && n === 0 && holdingBack) || (n % 5 === 2 && delivery.attempt === 1);
          invocations.push({ key, n, ok: !fails });
          if (fails) throw new Error(`failing ${key}#${n} on attempt ${delivery.attempt}`);
        });
        await publishAll(publisher, topic, envelopes, 10);
        const succeeded = (key: string) => invocations.filter((call) => call.key === key && call.ok).length;
        await kit.waitFor(
          () => keys.slice(1).every((key) => succeeded(key) >= perKey),
          () => `keys b, c, d done while 'held' is held back (${keys.map(succeeded).join(', ')})`,
          30_000,
        );
        expect(invocations.filter((call) => call.key === 'held' && call.n > 0)).toEqual([]);
        holdingBack = false;
        await kit.waitFor(
          () => succeeded('held') >= perKey,
          () => `key 'held' done, got ${succeeded('held')}`,
        );
        for (const key of keys) {
          const calls = invocations.filter((call) => call.key === key);
          expect(calls.filter((call) => call.ok).map((call) => call.n)).toEqual(
            Array.from({ length: perKey }, (_, n) => n),
          );
          const order = calls.map((call) => call.n);
          expect(order).toEqual([...order].sort((a, b) => a - b));
        }
      },
      kit.testTimeout(60_000),
    );
  });
}
