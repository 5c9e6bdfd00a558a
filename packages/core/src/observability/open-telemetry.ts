import type * as OpenTelemetry from '@opentelemetry/api';

/** The `@opentelemetry/api` module: an optional peer dependency of Eventloom. */
export type OpenTelemetryApi = typeof OpenTelemetry;

/** The API when it is installed; undefined (tracing and metrics off) when it is not. */
export async function loadOpenTelemetry(): Promise<OpenTelemetryApi | undefined> {
  try {
    return await import('@opentelemetry/api');
  } catch {
    return undefined;
  }
}

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
