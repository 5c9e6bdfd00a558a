import type { Meter, ObservableGauge } from '@opentelemetry/api';
import type { OutboxSource } from '../../store/contract.js';
import { MESSAGING } from '../attributes.js';
import { type ConsumerLagSource, hasConsumerLag } from '../lag.js';
import type { WatchedSources } from '../sources.js';
import { watchSagas } from './saga-instances.js';

/** Observable gauges over the outbox and consumer lag; returns the undo. */
export function watchGauges(meter: Meter, sources: WatchedSources): () => void {
  const undo: (() => void)[] = [];
  if (sources.outbox !== undefined) undo.push(watchOutbox(meter, sources.outbox));
  if (sources.sagas !== undefined) undo.push(watchSagas(meter, sources.sagas));
  const { transport, group } = sources;
  if (transport !== undefined && group !== undefined && hasConsumerLag(transport)) {
    undo.push(watchLag(meter, transport, group));
  }
  return () => {
    for (const stop of undo) stop();
  };
}

function watchOutbox(meter: Meter, outbox: OutboxSource): () => void {
  const backlog = meter.createObservableGauge('eventloom.outbox.backlog', {
    unit: '{message}',
    description: 'Outbox rows committed and not yet published',
  });
  const oldestAge = meter.createObservableGauge('eventloom.outbox.oldest_age', {
    unit: 's',
    description: 'Age of the oldest unpublished outbox row (0 when none)',
  });
  const observe = async (result: { observe(gauge: ObservableGauge, value: number): void }) => {
    const { pending, oldestEnqueuedAt } = await outbox.outboxBacklog();
    result.observe(backlog, pending);
    const age = oldestEnqueuedAt === undefined ? 0 : Math.max(0, Date.now() - oldestEnqueuedAt.getTime());
    result.observe(oldestAge, age / 1_000);
  };
  meter.addBatchObservableCallback(observe, [backlog, oldestAge]);
  return () => meter.removeBatchObservableCallback(observe, [backlog, oldestAge]);
}

function watchLag(meter: Meter, source: ConsumerLagSource, group: string): () => void {
  const lag = meter.createObservableGauge('eventloom.consumer.lag', {
    unit: '{message}',
    description: 'Messages published and not yet consumed by the group, as the broker tells it',
  });
  const observe = async (result: { observe(value: number, attributes: Record<string, string>): void }) => {
    for (const reading of await source.consumerLag(group)) {
      const partition = reading.partition === undefined ? {} : { [MESSAGING.partition]: reading.partition };
      result.observe(reading.lag, {
        [MESSAGING.consumerGroup]: group,
        [MESSAGING.destination]: reading.topic,
        ...partition,
      });
    }
  };
  lag.addCallback(observe);
  return () => lag.removeCallback(observe);
}
