// No import of @opentelemetry/api here: these types are public, and core's types must not need it.

/** An OpenTelemetry TracerProvider, typed loosely so that core's types need no OpenTelemetry. */
export interface TracerProviderLike {
  getTracer(name: string, version?: string): unknown;
}

/** An OpenTelemetry MeterProvider, typed loosely so that core's types need no OpenTelemetry. */
export interface MeterProviderLike {
  getMeter(name: string, version?: string): unknown;
}

/** The instrumentation scope Eventloom's tracer and meter are named after. */
export const INSTRUMENTATION_NAME = '@eventloom/core';
