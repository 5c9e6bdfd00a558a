import type { Envelope } from '../envelope/envelope.js';
import { toJson } from '../envelope/json.js';
import { InvalidInputError, PayloadTooLargeError } from '../errors.js';
import type { ExpectedVersion } from './contract.js';
import type { EventSchema } from './schema.js';

export interface StoreLimits {
  readonly maxStreamIdLength: number;
  /** Serialized size of one envelope's data. */
  readonly maxEventBytes: number;
  readonly maxEventsPerAppend: number;
}

export const DEFAULT_STORE_LIMITS: StoreLimits = {
  maxStreamIdLength: 256,
  maxEventBytes: 1024 * 1024,
  maxEventsPerAppend: 10_000,
};

/** A serialized envelope, validated and ready to write. */
export interface EncodedEnvelope {
  readonly envelope: Envelope;
  readonly dataJson: string;
  readonly headersJson: string | null;
}

export function validateStreamId(streamId: unknown, limits: StoreLimits): asserts streamId is string {
  if (typeof streamId !== 'string' || streamId.length === 0) {
    throw new InvalidInputError('streamId', 'must be a non-empty string');
  }
  if (streamId.length > limits.maxStreamIdLength) {
    throw new InvalidInputError(
      'streamId',
      `is ${streamId.length} characters, over the limit of ${limits.maxStreamIdLength}`,
    );
  }
}

export function validateExpectedVersion(expected: unknown): asserts expected is ExpectedVersion {
  if (expected === 'any' || expected === 'no-stream' || expected === 'exists') return;
  if (typeof expected === 'number' && Number.isSafeInteger(expected) && expected >= 0) return;
  throw new InvalidInputError(
    'expectedVersion',
    `must be 'any', 'no-stream', 'exists' or a version ≥ 0, got ${String(expected)}`,
  );
}

/** Checks and serializes one envelope before anything is written. */
export function encodeEnvelope(envelope: Envelope, limits: StoreLimits, where: string): EncodedEnvelope {
  if (typeof envelope?.id !== 'string' || envelope.id.length === 0) {
    throw new InvalidInputError(`${where}.id`, 'must be a non-empty string');
  }
  if (typeof envelope.type !== 'string' || envelope.type.length === 0) {
    throw new InvalidInputError(`${where}.type`, 'must be a non-empty string');
  }
  if (!Number.isSafeInteger(envelope.schemaversion) || envelope.schemaversion < 1) {
    throw new InvalidInputError(`${where}.schemaversion`, 'must be an integer ≥ 1');
  }
  validateAttributes(envelope, where);
  const { text, bytes } = toJson(envelope.data, `${where}.data`);
  if (bytes > limits.maxEventBytes) {
    throw new PayloadTooLargeError(`${where}.data of '${envelope.type}'`, bytes, limits.maxEventBytes);
  }
  const headersJson =
    envelope.headers === undefined ? null : toJson(envelope.headers, `${where}.headers`).text;
  return { envelope, dataJson: text, headersJson };
}

/** Validates a whole append before any row is written, so bad input never half-writes. */
export function encodeAppend(
  streamId: string,
  events: readonly Envelope[],
  expected: ExpectedVersion,
  limits: StoreLimits,
  schema: EventSchema,
): EncodedEnvelope[] {
  validateStreamId(streamId, limits);
  validateExpectedVersion(expected);
  if (!Array.isArray(events)) throw new InvalidInputError('events', 'must be an array');
  if (events.length > limits.maxEventsPerAppend) {
    throw new InvalidInputError(
      'events',
      `${events.length} events in one append, over the limit of ${limits.maxEventsPerAppend}`,
    );
  }
  const ids = new Set<string>();
  return events.map((event, index) => {
    const where = `events[${index}]`;
    schema.assertKnown(event?.type, () => `${where} appended to '${streamId}'`);
    const encoded = encodeEnvelope(event, limits, where);
    if (ids.has(event.id))
      throw new InvalidInputError(`${where}.id`, `'${event.id}' appears twice in one append`);
    ids.add(event.id);
    return encoded;
  });
}

/** Whether a stream at `actual` satisfies `expected`. */
export function versionMatches(expected: ExpectedVersion, actual: number): boolean {
  switch (expected) {
    case 'any':
      return true;
    case 'no-stream':
      return actual === 0;
    case 'exists':
      return actual > 0;
    default:
      return actual === expected;
  }
}

const REQUIRED_TEXT = ['source', 'correlationid', 'partitionkey'] as const;
const OPTIONAL_TEXT = ['subject', 'causationid', 'traceparent', 'tracestate', 'tenantid'] as const;

/** The attributes a store keeps beside the data: what it writes must decode again on read. */
function validateAttributes(envelope: Envelope, where: string): void {
  for (const name of REQUIRED_TEXT) {
    if (typeof envelope[name] !== 'string' || envelope[name].length === 0) {
      throw new InvalidInputError(`${where}.${name}`, 'must be a non-empty string');
    }
  }
  for (const name of OPTIONAL_TEXT) {
    if (envelope[name] !== undefined && typeof envelope[name] !== 'string') {
      throw new InvalidInputError(`${where}.${name}`, 'must be a string when present');
    }
  }
  if (typeof envelope.time !== 'string' || Number.isNaN(Date.parse(envelope.time))) {
    throw new InvalidInputError(`${where}.time`, 'must be an ISO-8601 timestamp');
  }
  const headers: unknown = envelope.headers;
  if (headers === undefined || headers === null) return;
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value !== 'string')
      throw new InvalidInputError(`${where}.headers.${name}`, 'must be a string');
  }
}
