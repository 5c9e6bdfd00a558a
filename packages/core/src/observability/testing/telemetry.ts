import type { MeterProviderLike, TracerProviderLike } from '../providers.js';

/** A finished span, as the tests look at it. */
export interface RecordedSpan {
  readonly name: string;
  /** OpenTelemetry's SpanKind: 0 internal, 1 server, 2 client, 3 producer, 4 consumer. */
  readonly kind: number;
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string | undefined;
  readonly attributes: Readonly<Record<string, unknown>>;
  /** OpenTelemetry's SpanStatusCode: 0 unset, 1 ok, 2 error. */
  readonly status: number;
  readonly events: readonly string[];
}

/** One data point of one metric: a sum or gauge value, or a histogram's count and sum. */
export interface MetricPoint {
  readonly name: string;
  readonly attributes: Readonly<Record<string, unknown>>;
  readonly value: number;
  readonly sum?: number;
}

/** An OpenTelemetry SDK recording in memory: spans as they end, metrics when collected. */
export interface TestTelemetry {
  readonly tracerProvider: TracerProviderLike;
  readonly meterProvider: MeterProviderLike;
  spans(): RecordedSpan[];
  collect(): Promise<MetricPoint[]>;
  close(): Promise<void>;
}

/**
 * Sets up the SDK's in-memory span exporter, a metric reader collected on demand, and the
 * AsyncLocalStorage context manager (global, as an app's SDK setup makes it). Needs the
 * `@opentelemetry/sdk-trace-base`, `sdk-metrics` and `context-async-hooks` packages.
 */
export async function createTestTelemetry(): Promise<TestTelemetry> {
  const api = await import('@opentelemetry/api');
  const traceSdk = await import('@opentelemetry/sdk-trace-base');
  const metricSdk = await import('@opentelemetry/sdk-metrics');
  const { AsyncLocalStorageContextManager } = await import('@opentelemetry/context-async-hooks');
  api.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const exporter = new traceSdk.InMemorySpanExporter();
  const tracerProvider = new traceSdk.BasicTracerProvider({
    spanProcessors: [new traceSdk.SimpleSpanProcessor(exporter)],
  });
  class OnDemandReader extends metricSdk.MetricReader {
    protected async onShutdown(): Promise<void> {}
    protected async onForceFlush(): Promise<void> {}
  }
  const reader = new OnDemandReader();
  const meterProvider = new metricSdk.MeterProvider({ readers: [reader] });
  return {
    tracerProvider,
    meterProvider,
    spans: () => exporter.getFinishedSpans().map(recordedSpan),
    collect: async () => {
      const { resourceMetrics } = await reader.collect();
      return resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics.flatMap(metricPoints));
    },
    close: async () => {
      await Promise.all([tracerProvider.shutdown(), meterProvider.shutdown()]);
      api.context.disable();
    },
  };
}

interface SdkSpan {
  readonly name: string;
  readonly kind: number;
  spanContext(): { readonly traceId: string; readonly spanId: string };
  readonly parentSpanContext?: { readonly spanId: string } | undefined;
  readonly attributes: Readonly<Record<string, unknown>>;
  readonly status: { readonly code: number };
  readonly events: readonly { readonly name: string }[];
}

function recordedSpan(span: SdkSpan): RecordedSpan {
  const { traceId, spanId } = span.spanContext();
  return {
    name: span.name,
    kind: span.kind,
    traceId,
    spanId,
    parentSpanId: span.parentSpanContext?.spanId,
    attributes: span.attributes,
    status: span.status.code,
    events: span.events.map((event) => event.name),
  };
}

interface SdkMetric {
  readonly descriptor: { readonly name: string };
  readonly dataPoints: readonly {
    readonly attributes: Readonly<Record<string, unknown>>;
    readonly value: unknown;
  }[];
}

function metricPoints(metric: SdkMetric): MetricPoint[] {
  return metric.dataPoints.map(({ attributes, value }) => {
    const name = metric.descriptor.name;
    if (typeof value === 'number') return { name, attributes, value };
    const histogram = value as { count: number; sum?: number };
    return {
      name,
      attributes,
      value: histogram.count,
      ...(histogram.sum === undefined ? {} : { sum: histogram.sum }),
    };
  });
}

/** The sum of the points of metric `name` whose attributes include `attributes`. */
export function metricTotal(
  points: readonly MetricPoint[],
  name: string,
  attributes: Readonly<Record<string, unknown>> = {},
): number {
  return points
    .filter((point) => point.name === name)
    .filter((point) => Object.entries(attributes).every(([key, value]) => point.attributes[key] === value))
    .reduce((total, point) => total + point.value, 0);
}

/** Span names from the root of `leaf`'s trace down to `leaf`, following parent links. */
export function ancestry(spans: readonly RecordedSpan[], leaf: RecordedSpan): string[] {
  const byId = new Map(spans.map((span) => [span.spanId, span]));
  const path: string[] = [];
  for (let span: RecordedSpan | undefined = leaf; span !== undefined; ) {
    path.unshift(span.name);
    span = span.parentSpanId === undefined ? undefined : byId.get(span.parentSpanId);
  }
  return path;
}
