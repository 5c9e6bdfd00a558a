import type { Envelope } from '../envelope/envelope.js';
import type { JsonValue } from '../envelope/json.js';
import { toJson } from '../envelope/json.js';
import { InvalidInputError, PoisonMessageError } from '../errors.js';
import { decodeHeaderValue, encodeHeaderValue } from './header-value.js';

/** A message in CloudEvents binary mode: attributes as headers, data as the JSON body. */
export interface BinaryMessage {
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
  /** The partition key, for brokers that route or order by key. */
  readonly key: string;
}

export interface BindingOptions {
  /** Prefix of attribute headers: `ce_` for Kafka, `ce-` for NATS and HTTP-like bindings. */
  readonly headerPrefix: string;
}

const STRING_ATTRIBUTES = [
  'id',
  'type',
  'source',
  'subject',
  'time',
  'correlationid',
  'causationid',
  'traceparent',
  'tracestate',
  'partitionkey',
  'tenantid',
] as const;

const ATTRIBUTES = new Set<string>([...STRING_ATTRIBUTES, 'specversion', 'datacontenttype', 'schemaversion']);

const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Encodes an envelope; every check happens here, so nothing invalid reaches a broker. */
export function encodeBinary(envelope: Envelope, options: BindingOptions): BinaryMessage {
  assertEncodable(envelope);
  const headers: Record<string, string> = {};
  const put = (name: string, value: string) => {
    headers[name] = encodeHeaderValue(value, name);
  };
  put(`${options.headerPrefix}specversion`, envelope.specversion);
  put(`${options.headerPrefix}datacontenttype`, envelope.datacontenttype);
  put(`${options.headerPrefix}schemaversion`, String(envelope.schemaversion));
  for (const name of STRING_ATTRIBUTES) {
    const value = envelope[name];
    if (value !== undefined) put(`${options.headerPrefix}${name}`, value);
  }
  for (const [name, value] of Object.entries(envelope.headers ?? {})) {
    if (isAttributeHeader(name, options.headerPrefix)) {
      throw new InvalidInputError(`headers.${name}`, 'collides with a CloudEvents attribute header');
    }
    put(name, value);
  }
  const body = utf8.encode(toJson(envelope.data, `envelope '${envelope.id}' data`).text);
  return { headers, body, key: envelope.partitionkey };
}

function assertEncodable(envelope: Envelope): void {
  for (const name of ['id', 'type', 'source', 'time', 'partitionkey', 'correlationid'] as const) {
    if (typeof envelope[name] !== 'string' || envelope[name].length === 0) {
      throw new InvalidInputError(`envelope.${name}`, 'must be a non-empty string');
    }
  }
  if (!Number.isSafeInteger(envelope.schemaversion) || envelope.schemaversion < 1) {
    throw new InvalidInputError(
      'envelope.schemaversion',
      `must be an integer ≥ 1, got ${envelope.schemaversion}`,
    );
  }
}

function isAttributeHeader(name: string, prefix: string): boolean {
  const lower = name.toLowerCase();
  const lowerPrefix = prefix.toLowerCase();
  return lower.startsWith(lowerPrefix) && ATTRIBUTES.has(lower.slice(lowerPrefix.length));
}

/** Decodes a binary-mode message; anything that is not a valid envelope is a PoisonMessageError. */
export function decodeBinary(
  headers: Readonly<Record<string, string>>,
  body: Uint8Array,
  options: BindingOptions,
): Envelope {
  const { attributes, others } = splitHeaders(headers, options.headerPrefix);
  const attribute = (name: string) => attributes.get(name);
  const required = (name: string) => {
    const value = attribute(name);
    if (value === undefined || value.length === 0)
      throw new PoisonMessageError(`missing '${name}' attribute`);
    return value;
  };
  const specversion = required('specversion');
  if (specversion !== '1.0') throw new PoisonMessageError(`unsupported specversion '${specversion}'`);
  const id = required('id');
  const subject = attribute('subject');
  const optional = (name: (typeof STRING_ATTRIBUTES)[number]) => {
    const value = attribute(name);
    return value === undefined ? {} : { [name]: value };
  };
  return {
    specversion,
    id,
    type: required('type'),
    source: required('source'),
    ...(subject === undefined ? {} : { subject }),
    time: validTime(required('time')),
    datacontenttype: jsonContentType(attribute('datacontenttype')),
    data: parseBody(body),
    correlationid: attribute('correlationid') ?? id,
    ...optional('causationid'),
    ...optional('traceparent'),
    ...optional('tracestate'),
    ...optional('tenantid'),
    partitionkey: attribute('partitionkey') ?? subject ?? id,
    schemaversion: schemaVersion(attribute('schemaversion')),
    ...(others === undefined ? {} : { headers: others }),
  };
}

function splitHeaders(headers: Readonly<Record<string, string>>, prefix: string) {
  const attributes = new Map<string, string>();
  let others: Record<string, string> | undefined;
  for (const [name, raw] of Object.entries(headers)) {
    const value = decodeHeaderValue(raw);
    if (isAttributeHeader(name, prefix)) {
      if (value === undefined)
        throw new PoisonMessageError(`header '${name}' is not validly percent-encoded`);
      attributes.set(name.slice(prefix.length).toLowerCase(), value);
    } else {
      others ??= {};
      others[name] = value ?? raw;
    }
  }
  return { attributes, others };
}

function validTime(time: string): string {
  if (Number.isNaN(Date.parse(time)))
    throw new PoisonMessageError(`'time' attribute '${time}' is not a timestamp`);
  return time;
}

function jsonContentType(value: string | undefined): 'application/json' {
  if (value === undefined || /^application\/json\s*(;.*)?$/i.test(value)) return 'application/json';
  throw new PoisonMessageError(`datacontenttype '${value}' is not application/json`);
}

function schemaVersion(value: string | undefined): number {
  if (value === undefined) return 1;
  const version = /^[1-9][0-9]{0,15}$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(version)) {
    throw new PoisonMessageError(`'schemaversion' attribute '${value}' is not an integer ≥ 1`);
  }
  return version;
}

function parseBody(body: Uint8Array): JsonValue {
  let text: string;
  try {
    text = strictUtf8.decode(body);
  } catch (error) {
    throw new PoisonMessageError('body is not valid UTF-8', { cause: error });
  }
  if (text.length === 0) throw new PoisonMessageError('body is empty; expected JSON data');
  try {
    return JSON.parse(text) as JsonValue;
  } catch (error) {
    throw new PoisonMessageError(`body is not JSON: ${(error as Error).message}`, { cause: error });
  }
}
