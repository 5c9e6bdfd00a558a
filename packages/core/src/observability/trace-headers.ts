import type { SpanContext } from '@opentelemetry/api';
import type { TraceHeaders } from '../envelope/trace-context.js';
import type { OpenTelemetryApi } from './open-telemetry.js';

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;

/** The W3C `traceparent` (and `tracestate`) of a span; undefined for an invalid span context. */
export function traceHeadersOf(api: OpenTelemetryApi, span: SpanContext): TraceHeaders | undefined {
  if (!api.isSpanContextValid(span)) return undefined;
  const flags = span.traceFlags.toString(16).padStart(2, '0');
  const traceparent = `00-${span.traceId}-${span.spanId}-${flags}`;
  const tracestate = span.traceState?.serialize();
  return tracestate === undefined || tracestate === '' ? { traceparent } : { traceparent, tracestate };
}

/** The remote span context an envelope's `traceparent` names; undefined when absent or malformed. */
export function spanContextOf(
  api: OpenTelemetryApi,
  headers: { readonly traceparent?: string; readonly tracestate?: string },
): SpanContext | undefined {
  const match = headers.traceparent === undefined ? null : TRACEPARENT.exec(headers.traceparent);
  if (match === null) return undefined;
  const [, version, traceId = '', spanId = '', flags = '00', rest] = match;
  // Version 00 has exactly four fields; a later version may append more.
  if (version === 'ff' || (version === '00' && rest !== undefined)) return undefined;
  const context: SpanContext = {
    traceId,
    spanId,
    traceFlags: Number.parseInt(flags, 16),
    isRemote: true,
    ...(headers.tracestate === undefined ? {} : { traceState: api.createTraceState(headers.tracestate) }),
  };
  return api.isSpanContextValid(context) ? context : undefined;
}
