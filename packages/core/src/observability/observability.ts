import { setTraceContextSource } from '../envelope/trace-context.js';
import { InvalidInputError } from '../errors.js';
import { combine, type Hooks, type Instrumentation } from './instrumentation.js';
import { logging } from './logging/index.js';
import { type Logger, silentLogger } from './logging/logger.js';
import { metrics } from './metrics/index.js';
import { loadOpenTelemetry } from './open-telemetry.js';
import type { MeterProviderLike, TracerProviderLike } from './providers.js';
import type { WatchedSources } from './sources.js';
import { tracing } from './tracing/index.js';

export interface ObservabilityOptions {
  /** Where spans go; the global provider of `@opentelemetry/api` when absent. */
  readonly tracerProvider?: TracerProviderLike;
  /** Where measurements go; the global provider of `@opentelemetry/api` when absent. */
  readonly meterProvider?: MeterProviderLike;
  /** A pino-compatible logger; nothing is logged without one. */
  readonly logger?: Logger;
  /** `false` turns spans (and trace context in envelopes) off. */
  readonly tracing?: boolean;
  /** `false` turns metrics off. */
  readonly metrics?: boolean;
}

/**
 * Traces, metrics and logs for an app, as hooks its command executor, relay and consumer take:
 * `new CommandExecutor(store, { ...hooks.executor })`, `new OutboxRelay(store, { ...hooks.relay })`,
 * `new ConsumerRuntime({ ...hooks.consumer })`.
 */
export interface Observability extends Hooks {
  /** Writes with the correlation and causation ids of the message or command in hand. */
  readonly logger: Logger;
  /** Observes the outbox backlog and, where the transport tells it, consumer lag; returns the undo. */
  watch(sources: WatchedSources): () => void;
  /** Stops putting the active trace context into new envelopes, and every watch. */
  close(): void;
}

/**
 * Turns observability on. Tracing and metrics need `@opentelemetry/api` installed (without it,
 * only logging works); nothing is recorded without an SDK behind the API, and none of this
 * runs for an app that does not use these hooks.
 */
export async function observability(options: ObservabilityOptions = {}): Promise<Observability> {
  const wantsTelemetry = options.tracing !== false || options.metrics !== false;
  const api = wantsTelemetry ? await loadOpenTelemetry() : undefined;
  const traces =
    api !== undefined && options.tracing !== false ? tracing(api, options.tracerProvider) : undefined;
  const measures =
    api !== undefined && options.metrics !== false ? metrics(api, options.meterProvider) : undefined;
  const logs = options.logger === undefined ? undefined : logging(requireLogger(options.logger));
  const parts: Instrumentation[] = [
    ...(traces?.instrumentation ?? []),
    ...(measures?.instrumentation ?? []),
    ...(logs?.instrumentation ?? []),
  ];
  const closers: (() => void)[] = [];
  if (traces !== undefined) closers.push(setTraceContextSource(traces.activeTraceHeaders));
  return {
    ...combine(parts),
    logger: logs?.logger ?? silentLogger,
    watch: (sources) => {
      const stop = measures?.watch(sources) ?? (() => {});
      closers.push(stop);
      return stop;
    },
    close: () => {
      for (const close of closers.splice(0).reverse()) close();
    },
  };
}

const LOGGER_METHODS = ['debug', 'info', 'warn', 'error', 'child'] as const;

function requireLogger(logger: Logger): Logger {
  for (const method of LOGGER_METHODS) {
    if (typeof logger?.[method] !== 'function') {
      throw new InvalidInputError('observability.logger', `must have a ${method}() method (pino's shape)`);
    }
  }
  return logger;
}
