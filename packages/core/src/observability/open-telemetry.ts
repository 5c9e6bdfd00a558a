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
