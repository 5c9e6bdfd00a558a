import type { Envelope } from '../envelope/envelope.js';
import type { JsonValue } from '../envelope/json.js';
import { CorruptDataError } from '../errors.js';
import type { OutboxRow, Snapshot, StoredDocument, StoredEvent } from './contract.js';
import { type EncodedEnvelope, encodeEnvelope, type StoreLimits } from './limits.js';
import { FieldReader, parseJson } from './row-reader.js';

export { parseJson } from './row-reader.js';

/**
 * Rows as every store keeps them (the SQL stores as table rows, the memory store as objects):
 * JSON as text, so nothing a caller holds can change what is stored. Decoding checks each
 * field and names the table and key of a row that cannot be what this code wrote.
 */

/** A row of `events`: the envelope's attributes under their CloudEvents names. */
export interface EventRow {
  readonly position: number;
  readonly stream_id: string;
  readonly version: number;
  readonly id: string;
  readonly type: string;
  readonly source: string;
  readonly subject: string | null;
  readonly time: string;
  readonly correlationid: string;
  readonly causationid: string | null;
  readonly traceparent: string | null;
  readonly tracestate: string | null;
  readonly tenantid: string | null;
  readonly partitionkey: string;
  readonly schemaversion: number;
  readonly data: string;
  readonly headers: string | null;
}

export type NewEventRow = Omit<EventRow, 'position'>;

export interface SnapshotRow {
  readonly stream_id: string;
  readonly version: number;
  readonly schemaversion: number;
  readonly state: string;
}

export interface DocumentRow {
  readonly id: string;
  readonly version: number;
  readonly value: string;
}

export interface OutboxRecord {
  readonly seq: number;
  readonly message_id: string;
  readonly partition_key: string;
  readonly envelope: string;
  readonly enqueued_at: number;
  readonly dispatched_at: number | null;
}

/** An envelope validated and serialized whole, for the outbox and the scheduler. */
export interface EncodedMessage {
  readonly id: string;
  readonly partitionKey: string;
  readonly json: string;
}

const OPTIONAL_ATTRIBUTES = ['subject', 'causationid', 'traceparent', 'tracestate', 'tenantid'] as const;

/** The row of an event; with its position when the store knows it before the insert (memory). */
export function eventRow(encoded: EncodedEnvelope, streamId: string, version: number): NewEventRow;
export function eventRow(
  encoded: EncodedEnvelope,
  streamId: string,
  version: number,
  position: number,
): EventRow;
export function eventRow(
  encoded: EncodedEnvelope,
  streamId: string,
  version: number,
  position?: number,
): NewEventRow | EventRow {
  const { envelope } = encoded;
  const row = {
    stream_id: streamId,
    version,
    id: envelope.id,
    type: envelope.type,
    source: envelope.source,
    subject: envelope.subject ?? null,
    time: envelope.time,
    correlationid: envelope.correlationid,
    causationid: envelope.causationid ?? null,
    traceparent: envelope.traceparent ?? null,
    tracestate: envelope.tracestate ?? null,
    tenantid: envelope.tenantid ?? null,
    partitionkey: envelope.partitionkey,
    schemaversion: envelope.schemaversion,
    data: encoded.dataJson,
    headers: encoded.headersJson,
  };
  return position === undefined ? row : Object.assign(row, { position });
}

export function decodeStoredEvent(row: EventRow): StoredEvent {
  const fields = new FieldReader(
    row,
    () =>
      `events at position ${String(row.position)} (stream '${String(row.stream_id)}' version ${String(row.version)})`,
  );
  const event = readAttributes(fields);
  event.data = fields.json('data');
  const headers = fields.optionalJson('headers');
  if (headers !== undefined) event.headers = checkHeaders(headers, fields);
  event.streamId = fields.text('stream_id');
  event.version = fields.positive('version');
  event.position = fields.positive('position');
  return event as unknown as StoredEvent;
}

export function encodeMessage(envelope: Envelope, limits: StoreLimits, where: string): EncodedMessage {
  const encoded = encodeEnvelope(envelope, limits, where);
  const attributes: Record<string, unknown> = {
    specversion: '1.0',
    id: envelope.id,
    type: envelope.type,
    source: envelope.source,
    time: envelope.time,
    datacontenttype: 'application/json',
    correlationid: envelope.correlationid,
    partitionkey: envelope.partitionkey,
    schemaversion: envelope.schemaversion,
  };
  for (const name of OPTIONAL_ATTRIBUTES) {
    if (envelope[name] !== undefined) attributes[name] = envelope[name];
  }
  // The data and headers are already serialized: splice them in rather than serialize twice.
  const head = JSON.stringify(attributes).slice(0, -1);
  const headers = encoded.headersJson === null ? '' : `,"headers":${encoded.headersJson}`;
  return {
    id: envelope.id,
    partitionKey: envelope.partitionkey,
    json: `${head},"data":${encoded.dataJson}${headers}}`,
  };
}

export function decodeMessage(json: string, where: string | (() => string)): Envelope {
  const parsed = parseJson(json, where);
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed) || !('data' in parsed)) {
    throw new CorruptDataError(
      typeof where === 'string' ? where : where(),
      'the envelope is not an object with data',
    );
  }
  const fields = new FieldReader(parsed, where);
  const envelope = readAttributes(fields);
  envelope.data = parsed.data as JsonValue;
  if (parsed.headers !== undefined) envelope.headers = checkHeaders(parsed.headers, fields);
  return envelope as unknown as Envelope;
}

export function decodeOutboxRow(row: OutboxRecord): OutboxRow {
  const where = () => `outbox seq ${String(row.seq)}`;
  const fields = new FieldReader(row, where);
  return {
    seq: fields.positive('seq'),
    envelope: decodeMessage(fields.text('envelope'), where),
    enqueuedAt: new Date(fields.whole('enqueued_at')),
  };
}

export function decodeSnapshot(row: SnapshotRow): Snapshot {
  const fields = new FieldReader(row, () => `snapshots of stream '${String(row.stream_id)}'`);
  return {
    streamId: fields.text('stream_id'),
    version: fields.positive('version'),
    schemaversion: fields.positive('schemaversion'),
    state: fields.json('state'),
  };
}

export function decodeDocument<T>(row: DocumentRow, collection: string): StoredDocument<T> {
  const fields = new FieldReader(row, () => `documents '${collection}' id '${String(row.id)}'`);
  return { id: fields.text('id'), version: fields.positive('version'), value: fields.json('value') as T };
}

export function decodeCheckpoint(name: string, position: unknown): number {
  return new FieldReader({ position }, `checkpoints '${name}'`).whole('position');
}

/** The attributes, in an object the caller completes (one object per row, no copies). */
function readAttributes(fields: FieldReader): Record<string, unknown> {
  const attributes: Record<string, unknown> = {
    specversion: '1.0',
    id: fields.text('id'),
    type: fields.text('type'),
    source: fields.text('source'),
    time: fields.text('time'),
    datacontenttype: 'application/json',
    correlationid: fields.text('correlationid'),
    partitionkey: fields.text('partitionkey'),
    schemaversion: fields.positive('schemaversion'),
  };
  for (const name of OPTIONAL_ATTRIBUTES) {
    const value = fields.optionalText(name);
    if (value !== undefined) attributes[name] = value;
  }
  return attributes;
}

function checkHeaders(headers: unknown, fields: FieldReader): Record<string, string> {
  const valid =
    headers !== null &&
    typeof headers === 'object' &&
    !Array.isArray(headers) &&
    Object.values(headers).every((value) => typeof value === 'string');
  if (!valid) throw new CorruptDataError(fields.where, 'headers are not an object of strings');
  return headers as Record<string, string>;
}
