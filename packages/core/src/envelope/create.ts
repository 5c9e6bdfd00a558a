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

let isoMillis = Number.NaN;
let isoText = '';

/** The time now as ISO-8601, formatted once per millisecond: envelopes come in bursts. */
function nowIso(): string {
  const millis = Date.now();
  if (millis !== isoMillis) {
    isoText = new Date(millis).toISOString();
    isoMillis = millis;
  }
  return isoText;
}

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
  const trace = currentTraceHeaders() ?? context;
  // Built by assignment, attribute by attribute in one object: envelopes are made per event.
  const envelope: Record<string, unknown> = {
    specversion: '1.0',
    id,
    type: init.type,
    source: init.source ?? DEFAULT_SOURCE,
  };
  if (init.subject !== undefined) envelope.subject = init.subject;
  envelope.time = init.time === undefined ? nowIso() : init.time.toISOString();
  envelope.datacontenttype = 'application/json';
  envelope.data = init.data as JsonValue;
  envelope.correlationid = context?.correlationid ?? id;
  if (context?.causationid !== undefined) envelope.causationid = context.causationid;
  if (trace?.traceparent !== undefined) envelope.traceparent = trace.traceparent;
  if (trace?.tracestate !== undefined) envelope.tracestate = trace.tracestate;
  if (context?.tenantid !== undefined) envelope.tenantid = context.tenantid;
  envelope.partitionkey = init.partitionkey ?? init.subject ?? id;
  envelope.schemaversion = init.schemaversion ?? 1;
  if (init.headers !== undefined) envelope.headers = init.headers;
  return envelope as unknown as Envelope<Type>;
}
