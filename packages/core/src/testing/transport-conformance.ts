import { describe } from 'vitest';
import { describeDelivery } from './transport-conformance-delivery.js';
import { describeEdges } from './transport-conformance-edges.js';
import { ConformanceKit, type TransportHarness } from './transport-conformance-fixtures.js';
import { describeConsumerLag } from './transport-conformance-lag.js';
import { describeLifecycle } from './transport-conformance-lifecycle.js';
import { describeRedelivery } from './transport-conformance-redelivery.js';

export type { RawMessage, TransportHarness } from './transport-conformance-fixtures.js';

/**
 * The transport half of CONFORMANCE.md, one test (or more) per numbered point, for any transport.
 * Each test uses its own topics and groups, so a real broker's leftovers never interfere, and
 * waits on conditions with scaled deadlines rather than on fixed sleeps.
 */
export function describeTransportConformance(name: string, harness: TransportHarness): void {
  describe(`${name} transport conformance`, () => {
    const kit = new ConformanceKit(harness);
    kit.closeAfterEach();
    describeDelivery(kit);
    describeRedelivery(kit);
    describeLifecycle(kit);
    describeEdges(kit);
    describeConsumerLag(kit);
  });
}
