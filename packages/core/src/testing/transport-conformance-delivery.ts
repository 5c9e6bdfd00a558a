import { describe, expect, it } from 'vitest';
import {
  aFullMessage,
  aMessage,
  Collector,
  type ConformanceKit,
  delay,
  numberOf,
  provisionGroup,
  publishAll,
  subscribeMany,
  toTopic,
} from './transport-conformance-fixtures.js';
import { quietPeriod } from './wait.js';

export function describeDelivery(kit: ConformanceKit): void {
  describe('delivery', () => {
    it('1. delivers a batch published before the group existed, whole, once it subscribes from the start', async () => {
      const transport = await kit.transport();
      const topic = kit.topic('whole');
      const group = kit.group('whole');
      await provisionGroup(transport, group, [topic]);
      const batch = [
        aFullMessage(1, 'order-7'),
        aFullMessage(2, 'order-7'),
        aMessage({ partitionkey: 'order-7' }),
      ];
      await transport.publish(toTopic(topic, batch));
      const got = new Collector();
      await transport.subscribe({ group, topics: [topic], from: 'start' }, got.handler());
      await kit.waitFor(
        () => got.seen.length >= batch.length,
        () => `3 messages, got ${got.seen.length}`,
      );
      expect(got.seen.map((seen) => seen.envelope)).toEqual(batch);
      expect(got.seen.map(({ topic, attempt }) => ({ topic, attempt }))).toEqual(
        batch.map(() => ({ topic, attempt: 1 })),
      );
    });

    it(
      '2. delivers thousands of messages from concurrent publishers, each to one member of the group at a time',
      async () => {
        const topic = kit.topic('many');
        const group = kit.group('many');
        const publishers = await Promise.all([1, 2, 3, 4].map(() => kit.transport()));
        const members = await Promise.all([1, 2, 3].map(() => kit.transport()));
        const holder = new Map<string, number>();
        const overlaps: string[] = [];
        const handled = new Set<string>();
        await subscribeMany(
          members,
          { group, topics: [topic], maxInFlight: 8 },
          (member) => async (delivery) => {
            const { id } = delivery.envelope;
            const other = holder.get(id);
            if (other !== undefined) overlaps.push(`${id} held by members ${other} and ${member}`);
            holder.set(id, member);
            await delay(numberOf(delivery.envelope) % 3);
            holder.delete(id);
            handled.add(id);
          },
        );
        const perPublisher = kit.count(500);
        const sent = publishers.map((_, p) =>
          Array.from({ length: perPublisher }, (_, i) =>
            aMessage({ partitionkey: `key-${(p * perPublisher + i) % 40}` }),
          ),
        );
        await Promise.all(publishers.map((publisher, p) => publishAll(publisher, topic, sent[p] ?? [])));
        const total = publishers.length * perPublisher;
        await kit.waitFor(
          () => handled.size >= total,
          () => `${total} messages handled, got ${handled.size}`,
          60_000,
        );
        expect(overlaps).toEqual([]);
        expect([...handled].sort()).toEqual(
          sent
            .flat()
            .map((envelope) => envelope.id)
            .sort(),
        );
      },
      kit.testTimeout(90_000),
    );

    it('3. keeps every message on the topics it was sent to', async () => {
      const topics = [kit.topic('a'), kit.topic('b'), kit.topic('c')];
      const transport = await kit.transport();
      const [first, second, third] = topics as [string, string, string];
      const both = new Collector();
      const single = new Collector();
      await transport.subscribe({ group: kit.group('ab'), topics: [first, second] }, both.handler());
      await transport.subscribe({ group: kit.group('c'), topics: [third] }, single.handler());
      const sentTo = new Map<string, string>();
      for (const topic of topics) {
        const envelopes = Array.from({ length: 30 }, () => aMessage());
        for (const envelope of envelopes) sentTo.set(envelope.id, topic);
        await transport.publish(toTopic(topic, envelopes));
      }
      await kit.waitFor(
        () => both.seen.length >= 60 && single.seen.length >= 30,
        () => `60 + 30 messages, got ${both.seen.length} + ${single.seen.length}`,
      );
      await quietPeriod(200 * kit.scale);
      for (const seen of [...both.seen, ...single.seen])
        expect(seen.topic).toBe(sentTo.get(seen.envelope.id));
      expect(new Set(both.seen.map((seen) => seen.topic))).toEqual(new Set([first, second]));
      expect(both.ids().size).toBe(60);
      expect(single.seen.every((seen) => seen.topic === third)).toBe(true);
      expect(single.ids().size).toBe(30);
    });

    it('8. gives every message to each of two groups', async () => {
      const topic = kit.topic('fan-out');
      const publisher = await kit.transport();
      const envelopes = Array.from({ length: 100 }, (_, i) => aMessage({ partitionkey: `key-${i % 7}` }));
      const groups = [new Collector(), new Collector()];
      for (const [index, collector] of groups.entries()) {
        const members = await Promise.all([1, 2].map(() => kit.transport()));
        await subscribeMany(members, { group: kit.group(`fan-out-${index}`), topics: [topic] }, (member) =>
          collector.handler(member),
        );
      }
      await publishAll(publisher, topic, envelopes, 25);
      const expected = new Set(envelopes.map((envelope) => envelope.id));
      await kit.waitFor(
        () => groups.every((collector) => collector.ids().size >= expected.size),
        () =>
          `100 messages in each group, got ${groups.map((collector) => collector.ids().size).join(' and ')}`,
      );
      for (const collector of groups) expect(collector.ids()).toEqual(expected);
    });
  });
}
