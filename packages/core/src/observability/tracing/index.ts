import type { TraceContextSource } from '../../envelope/trace-context.js';
import type { Instrumentation } from '../instrumentation.js';
import type { OpenTelemetryApi } from '../open-telemetry.js';
import { INSTRUMENTATION_NAME, type TracerProviderLike } from '../providers.js';
import { traceHeadersOf } from '../trace-headers.js';
import { commandTracing } from './commands.js';
import { consumerTracing } from './consumer.js';
import { relayTracing } from './relay.js';
import { sagaTracing } from './saga.js';
import type { Tracing } from './spans.js';

export interface TracingParts {
  readonly instrumentation: readonly Instrumentation[];
  /** The active span's trace context, for the envelopes created inside it. */
  readonly activeTraceHeaders: TraceContextSource;
}

/** Spans along the spine, on `provider` (the global tracer provider when none is given). */
export function tracing(api: OpenTelemetryApi, provider: TracerProviderLike | undefined): TracingParts {
  const chosen = (provider ?? api.trace.getTracerProvider()) as ReturnType<
    typeof api.trace.getTracerProvider
  >;
  const spans: Tracing = { api, tracer: chosen.getTracer(INSTRUMENTATION_NAME) };
  return {
    instrumentation: [commandTracing(spans), relayTracing(spans), consumerTracing(spans), sagaTracing(spans)],
    activeTraceHeaders: () => {
      const span = api.trace.getSpan(api.context.active());
      return span === undefined ? undefined : traceHeadersOf(api, span.spanContext());
    },
  };
}
