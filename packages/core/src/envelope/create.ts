import { InvalidInputError } from '../errors.js';
import type { Envelope, MessageContext } from './envelope.js';
import { uuidv7 } from './ids.js';
import type { JsonValue } from './json.js';
import { currentTraceHeaders } from './trace-context.js';

export interface EnvelopeInit<Type extends string = string> {
  readonly type: Type;
  readonly data: unknown;
  readonly source?: string;
  readonly subject?: string;
  readonly partitionkey?: string;
  readonly schemaversion?: number;
  readonly id?: string;
  readonly time?: Date;
  readonly headers?: Readonly<Record<string, string>>;
}

export const DEFAULT_SOURCE = 'eventloom';

/**
 * Builds an envelope in `context`. Without a context the message starts a new conversation:
 * its correlation id is its own id.
 */
export function createEnvelope<Type extends string>(
  init: EnvelopeInit<Type>,
  context?: MessageContext,
): Envelope<Type> {
  if (typeof init.type !== 'string' || init.type.length === 0) {
    throw new InvalidInputError('type', 'must be a non-empty string');
  }
  const id = init.id ?? uuidv7();
  const partitionkey = init.partitionkey ?? init.subject ?? id;
  const trace = currentTraceHeaders() ?? context;
  return {
    specversion: '1.0',
    id,
    type: init.type,
    source: init.source ?? DEFAULT_SOURCE,
    ...(init.subject === undefined ? {} : { subject: init.subject }),
    time: (init.time ?? new Date()).toISOString(),
    datacontenttype: 'application/json',
    data: init.data as JsonValue,
    correlationid: context?.correlationid ?? id,
    ...(context?.causationid === undefined ? {} : { causationid: context.causationid }),
    ...(trace?.traceparent === undefined ? {} : { traceparent: trace.traceparent }),
    ...(trace?.tracestate === undefined ? {} : { tracestate: trace.tracestate }),
    ...(context?.tenantid === undefined ? {} : { tenantid: context.tenantid }),
    partitionkey,
    schemaversion: init.schemaversion ?? 1,
    ...(init.headers === undefined ? {} : { headers: init.headers }),
  };
}
