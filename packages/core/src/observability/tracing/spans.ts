import type { Context, Span, SpanOptions, Tracer } from '@opentelemetry/api';
import type { Envelope } from '../../envelope/envelope.js';
import type { OpenTelemetryApi } from '../open-telemetry.js';
import { spanContextOf } from '../trace-headers.js';

/** The API and the tracer spans are made with. */
export interface Tracing {
  readonly api: OpenTelemetryApi;
  readonly tracer: Tracer;
}

/** Runs `work` in a new span under `parent`, made the active span; a throw marks it failed. */
export async function inSpan<T>(
  tracing: Tracing,
  name: string,
  options: SpanOptions,
  parent: Context,
  work: (span: Span) => Promise<T>,
): Promise<T> {
  const { api, tracer } = tracing;
  const span = tracer.startSpan(name, options, parent);
  try {
    return await api.context.with(api.trace.setSpan(parent, span), () => work(span));
  } catch (error) {
    markFailed(tracing, span, error);
    throw error;
  } finally {
    span.end();
  }
}

/** Records a span for work that has just finished, taking `durationMs`, under the active span. */
export function finishedSpan(
  tracing: Tracing,
  name: string,
  options: SpanOptions,
  durationMs: number,
  parent: Context = tracing.api.context.active(),
): void {
  const end = Date.now();
  tracing.tracer.startSpan(name, { ...options, startTime: end - durationMs }, parent).end(end);
}

export function markFailed({ api }: Tracing, span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : String(error));
  const message = error instanceof Error ? error.message : String(error);
  span.setStatus({ code: api.SpanStatusCode.ERROR, message });
}

/**
 * The context a message was created in: its `traceparent`'s span, or a new trace without one
 * (never the context the transport happens to deliver in).
 */
export function createdIn({ api }: Tracing, envelope: Envelope): Context {
  const remote = spanContextOf(api, envelope);
  return remote === undefined ? api.ROOT_CONTEXT : api.trace.setSpanContext(api.ROOT_CONTEXT, remote);
}
