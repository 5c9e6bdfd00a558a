import type { Meter } from '@opentelemetry/api';
import { sagaNameOf, sagaQueries } from '../../saga/queries.js';
import { EVENTLOOM } from '../attributes.js';
import type { WatchedSagas } from '../sources.js';

/** `eventloom.saga.instances`: each saga's instances by status, counted in the store when collected. */
export function watchSagas(meter: Meter, watched: WatchedSagas): () => void {
  const instances = meter.createObservableGauge('eventloom.saga.instances', {
    unit: '{instance}',
    description: 'Saga instances by status, as the store holds them',
  });
  const queries = sagaQueries(watched.store);
  const observe = async (result: { observe(value: number, attributes: Record<string, string>): void }) => {
    for (const saga of watched.sagas) {
      const name = sagaNameOf(saga);
      for (const [status, count] of Object.entries(await queries.countByStatus(name))) {
        result.observe(count, { [EVENTLOOM.saga]: name, [EVENTLOOM.sagaStatus]: status });
      }
    }
  };
  instances.addCallback(observe);
  return () => instances.removeCallback(observe);
}
