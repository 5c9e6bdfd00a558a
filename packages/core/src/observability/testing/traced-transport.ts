import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../store/memory/index.js';
import type { SubscribeOptions, Transport } from '../../transport/contract.js';
import { observability } from '../observability.js';
import { ancestry, createTestTelemetry, metricTotal } from './telemetry.js';
import { runTracedScenario, tracedScenarioChain, tracedScenarioDomain } from './traced-scenario.js';

/** What a transport package gives to show one trace crossing its broker. */
export interface TracedTransportHarness {
  /** A transport on the broker under test. */
  create(): Promise<Transport>;
  /** `messaging.system` the transport reports. */
  readonly system: string;
  /** Put before every topic and the group, to keep a run apart on a shared broker ('' when the transport does). */
  readonly prefix: string;
  readonly subscription?: Omit<SubscribeOptions, 'group' | 'topics'>;
  /** For slow brokers; 60 s by default. */
  readonly timeoutMs?: number;
}

const ORDERS = 2;

/**
 * One trace per order through the broker: command → relay → broker → consumer → saga → next
 * command → … → saga completed, with the messaging attributes of the broker on the spans and the
 * published, consumed and saga metrics moving.
 */
export function describeTracedTransport(name: string, harness: TracedTransportHarness): void {
  const timeoutMs = harness.timeoutMs ?? 60_000;
  describe(`observability over ${name}`, () => {
    it(
      'one trace per order spans command → relay → broker → consumer → saga → next command, and the metrics move',
      async () => {
        const telemetry = await createTestTelemetry();
        const obs = await observability(telemetry);
        const transport = await harness.create();
        const { prefix } = harness;
        try {
          const store = createMemoryStore();
          obs.watch({ sagas: { store, sagas: tracedScenarioDomain.sagas } });
          await runTracedScenario({
            store,
            transport,
            hooks: obs,
            orders: ORDERS,
            prefix,
            timeoutMs,
            ...(harness.subscription === undefined ? {} : { subscription: harness.subscription }),
          });
          const spans = telemetry.spans();
          const completions = spans.filter(
            (span) => span.attributes['eventloom.saga.status'] === 'completed',
          );
          expect(completions).toHaveLength(ORDERS);
          for (const completed of completions)
            expect(ancestry(spans, completed)).toEqual(tracedScenarioChain(prefix));
          expect(new Set(completions.map((span) => span.traceId)).size).toBe(ORDERS);
          const process = spans.find((span) => span.name === `process ${prefix}shipping.ship-order`);
          expect(process?.attributes).toMatchObject({
            'messaging.system': harness.system,
            'messaging.destination.name': `${prefix}shipping.ship-order`,
            'messaging.consumer.group.name': `${prefix}scenario`,
          });
          const points = await telemetry.collect();
          const published = metricTotal(points, 'eventloom.messages.published', {
            'messaging.system': harness.system,
          });
          expect(published).toBe(3 * ORDERS);
          expect(metricTotal(points, 'eventloom.messages.consumed')).toBe(3 * ORDERS);
          const completed = { 'eventloom.saga.status': 'completed' };
          expect(metricTotal(points, 'eventloom.saga.instances', completed)).toBe(ORDERS);
        } finally {
          obs.close();
          await transport.close();
          await telemetry.close();
        }
      },
      timeoutMs * 2,
    );
  });
}
