import type { Meter } from '@opentelemetry/api';
import type { Instrumentation } from '../instrumentation.js';
import type { OpenTelemetryApi } from '../open-telemetry.js';
import { INSTRUMENTATION_NAME, type MeterProviderLike } from '../providers.js';
import type { WatchedSources } from '../sources.js';
import { commandMetrics } from './commands.js';
import { consumerMetrics } from './consumer.js';
import { watchGauges } from './gauges.js';
import { createInstruments } from './instruments.js';
import { relayMetrics } from './relay.js';
import { sagaMetrics } from './saga.js';

export interface MetricsParts {
  readonly instrumentation: readonly Instrumentation[];
  readonly watch: (sources: WatchedSources) => () => void;
}

/** Instruments along the spine, on `provider` (the global meter provider when none is given). */
export function metrics(api: OpenTelemetryApi, provider: MeterProviderLike | undefined): MetricsParts {
  const chosen = (provider ?? api.metrics.getMeterProvider()) as ReturnType<
    typeof api.metrics.getMeterProvider
  >;
  const meter: Meter = chosen.getMeter(INSTRUMENTATION_NAME);
  const instruments = createInstruments(meter);
  return {
    instrumentation: [
      commandMetrics(instruments),
      relayMetrics(instruments),
      consumerMetrics(instruments),
      sagaMetrics(instruments),
    ],
    watch: (sources) => watchGauges(meter, sources),
  };
}
