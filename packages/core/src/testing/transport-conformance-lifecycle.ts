import { describe, expect, it } from 'vitest';
import type { Delivery } from '../transport/contract.js';
import {
  aMessage,
  Collector,
  type ConformanceKit,
  delay,
  publishAll,
  subscribeMany,
} from './transport-conformance-fixtures.js';
import { quietPeriod } from './wait.js';

export function describeLifecycle(kit: ConformanceKit): void {
  describe('lifecycle', () => {
    it(
      '9. closing several subscribers mid-stream loses nothing; their in-flight messages come back',
      async () => {
        const topic = kit.topic('close');
        const group = kit.group('close');
        const total = kit.count(600);
        const envelopes = Array.from({ length: total }, (_, i) =>
          aMessage({ partitionkey: `key-${i % 30}` }),
        );
        const acked = new Set<string>();
        const ackedTwice: string[] = [];
        let closing = false;
        let failedWhileClosing = 0;
        const handler = () => async (delivery: Delivery) => {
          await delay(5);
          if (closing && failedWhileClosing++ % 2 === 0)
            throw new Error('failing while the subscriber closes');
          if (!(await delivery.ack())) return;
          if (acked.has(delivery.envelope.id)) ackedTwice.push(delivery.envelope.id);
          acked.add(delivery.envelope.id);
        };
        const options = { group, topics: [topic], maxInFlight: 4, ackTimeoutMs: kit.ackTimeoutMs * 5 };
        const first = await subscribeMany(
          await Promise.all([1, 2, 3].map(() => kit.transport())),
          options,
          handler,
        );
        await publishAll(await kit.transport(), topic, envelopes);
        await kit.waitFor(
          () => acked.size >= total / 4,
          () => `${total / 4} acked before closing, got ${acked.size}`,
        );
        closing = true;
        const closeStarted = Date.now();
        await Promise.all(first.map((subscription) => subscription.close()));
        expect(Date.now() - closeStarted).toBeLessThan(10_000 * kit.scale);
        expect(acked.size).toBeLessThan(total);
        closing = false;
        await subscribeMany(await Promise.all([1, 2].map(() => kit.transport())), options, handler);
        await kit.waitFor(
          () => acked.size >= total,
          () => `${total} acked after resubscribing, got ${acked.size}`,
          60_000,
        );
        expect(ackedTwice).toEqual([]);
        expect(acked).toEqual(new Set(envelopes.map((envelope) => envelope.id)));
      },
      kit.testTimeout(90_000),
    );

    it('10. never delivers an acked message again, also after the consumer restarts', async () => {
      const topic = kit.topic('restart-consumer');
      const group = kit.group('restart-consumer');
      const publisher = await kit.transport();
      const before = Array.from({ length: 20 }, (_, i) => aMessage({ partitionkey: `key-${i % 4}` }));
      const after = Array.from({ length: 20 }, (_, i) => aMessage({ partitionkey: `key-${i % 4}` }));
      const firstRun = new Collector();
      const consumer = await kit.transport();
      await consumer.subscribe({ group, topics: [topic] }, firstRun.handler());
      await publishAll(publisher, topic, before);
      await kit.waitFor(
        () => firstRun.ids().size >= before.length,
        () => `${before.length} in the first run`,
      );
      await consumer.close();
      await publishAll(publisher, topic, after);
      const secondRun = new Collector();
      await (await kit.transport()).subscribe({ group, topics: [topic] }, secondRun.handler());
      await kit.waitFor(
        () => secondRun.ids().size >= after.length,
        () => `${after.length} after the restart`,
      );
      await quietPeriod(Math.max(500 * kit.scale, 2 * kit.ackTimeoutMs));
      expect(secondRun.ids()).toEqual(new Set(after.map((envelope) => envelope.id)));
    });

    it(
      '11. loses nothing when the broker restarts in the middle of publishing and consuming',
      async (context) => {
        const restartBroker = kit.harness.restartBroker?.bind(kit.harness);
        if (restartBroker === undefined) return context.skip();
        const topic = kit.topic('restart-broker');
        const envelopes = Array.from({ length: kit.count(300) }, (_, i) =>
          aMessage({ partitionkey: `key-${i % 10}` }),
        );
        const got = new Collector();
        const members = await Promise.all([1, 2].map(() => kit.transport()));
        await subscribeMany(members, { group: kit.group('restart-broker'), topics: [topic] }, (member) =>
          got.handler(member, () => delay(2)),
        );
        const publishing = publishAll(await kit.transport(), topic, envelopes, 10);
        await kit.waitFor(
          () => got.ids().size >= envelopes.length / 6,
          () => `${envelopes.length / 6} handled before the restart, got ${got.ids().size}`,
        );
        await restartBroker();
        await publishing;
        await kit.waitFor(
          () => got.ids().size >= envelopes.length,
          () => `${envelopes.length} handled after the restart, got ${got.ids().size}`,
          60_000,
        );
        expect(got.ids()).toEqual(new Set(envelopes.map((envelope) => envelope.id)));
      },
      kit.testTimeout(120_000),
    );
  });
}
