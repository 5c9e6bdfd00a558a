import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../errors.js';
import { type ConsumerLagSource, hasConsumerLag, totalLag } from '../observability/lag.js';
import type { Transport } from '../transport/contract.js';
import {
  aMessage,
  Collector,
  type ConformanceKit,
  provisionGroup,
  publishAll,
} from './transport-conformance-fixtures.js';
import { waitFor } from './wait.js';

/** Consumer lag, for a transport that declares it by implementing `ConsumerLagSource`. */
export function describeConsumerLag(kit: ConformanceKit): void {
  describe('consumer lag (ConsumerLagSource)', () => {
    it(
      '15. lag counts what the group has not consumed: it rises while no member runs and falls to 0 once consumed',
      async (context) => {
        const transport = await kit.transport();
        if (!hasConsumerLag(transport)) {
          context.skip('the transport does not implement ConsumerLagSource');
          return;
        }
        const topic = kit.topic('lag');
        const group = kit.group('lag');
        const waitForLag = lagWaiter(kit, transport, group);
        await provisionGroup(transport, group, [topic]);
        const collector = new Collector();
        const options = { group, topics: [topic], from: 'start' as const };
        const first = await transport.subscribe(options, collector.handler());
        const early = Array.from({ length: 4 }, (_, i) => aMessage({ partitionkey: `key-${i % 2}` }));
        await publishAll(transport, topic, early);
        await kit.waitFor(
          () => collector.ids().size >= early.length,
          () => `${early.length} consumed, got ${collector.ids().size}`,
        );
        await waitForLag(0);
        await first.close();

        const late = Array.from({ length: 3 }, (_, i) => aMessage({ partitionkey: `key-${i % 2}` }));
        await publishAll(transport, topic, late);
        const behind = await waitForLag(late.length);
        for (const reading of behind) {
          expect(Number.isSafeInteger(reading.lag) && reading.lag >= 0).toBe(true);
          expect(reading.topic).toEqual(expect.any(String));
        }

        await transport.subscribe(options, collector.handler());
        await kit.waitFor(
          () => collector.ids().size >= early.length + late.length,
          () => `${early.length + late.length} consumed after resubscribing, got ${collector.ids().size}`,
        );
        await waitForLag(0);
        expect(totalLag(await transport.consumerLag(kit.group('lag-unknown')))).toBe(0);
        await expect(transport.consumerLag('')).rejects.toThrow(InvalidInputError);
      },
      kit.testTimeout(60_000),
    );
  });
}

/** Polls the group's lag until it sums to `expected`; resolves with the readings that did. */
function lagWaiter(kit: ConformanceKit, transport: Transport & ConsumerLagSource, group: string) {
  return async (expected: number) => {
    let readings = await transport.consumerLag(group);
    await waitFor(
      async () => {
        readings = await transport.consumerLag(group);
        return totalLag(readings) === expected;
      },
      { timeoutMs: 30_000 * kit.scale, intervalMs: 100 },
      () => `consumer lag of ${expected}, last read ${JSON.stringify(readings)}`,
    );
    return readings;
  };
}
