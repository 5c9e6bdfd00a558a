import type { JsonValue } from './json.js';

/**
 * A message on the wire and in the store: CloudEvents 1.0 attributes plus Eventloom's
 * extensions. Extension names follow CloudEvents rules (lower-case letters and digits).
 */
export interface Envelope<Type extends string = string, Data = JsonValue> {
  readonly specversion: '1.0';
  readonly id: string;
  readonly type: Type;
  readonly source: string;
  readonly subject?: string;
  readonly time: string;
  readonly datacontenttype: 'application/json';
  readonly data: Data;
  readonly correlationid: string;
  readonly causationid?: string;
  readonly traceparent?: string;
  readonly tracestate?: string;
  readonly partitionkey: string;
  readonly tenantid?: string;
  readonly schemaversion: number;
  /** Free-form string headers a transport carries beside the attributes (retry reason, …). */
  readonly headers?: Readonly<Record<string, string>>;
}

/** The causal context a message is produced in: who caused it and which conversation it belongs to. */
export interface MessageContext {
  readonly correlationid: string;
  readonly causationid?: string;
  readonly traceparent?: string;
  readonly tracestate?: string;
  readonly tenantid?: string;
}

/** The context for messages produced while handling `cause`: same correlation, caused by it. */
export function contextCausedBy(cause: Envelope<string, unknown>): MessageContext {
  const context: { -readonly [K in keyof MessageContext]: MessageContext[K] } = {
    correlationid: cause.correlationid,
    causationid: cause.id,
  };
  if (cause.traceparent !== undefined) context.traceparent = cause.traceparent;
  if (cause.tracestate !== undefined) context.tracestate = cause.tracestate;
  if (cause.tenantid !== undefined) context.tenantid = cause.tenantid;
  return context;
}
