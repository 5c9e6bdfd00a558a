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

/** The attribute header names of one prefix, made once: `attribute → header` and back. */
interface PrefixedNames {
  readonly specversion: string;
  readonly datacontenttype: string;
  readonly schemaversion: string;
  readonly strings: readonly (readonly [(typeof STRING_ATTRIBUTES)[number], string])[];
  /** Exact header name → attribute; other casings take the slow path. */
  readonly attributeOf: ReadonlyMap<string, string>;
}

const namesByPrefix = new Map<string, PrefixedNames>();

function prefixed(prefix: string): PrefixedNames {
  let names = namesByPrefix.get(prefix);
  if (names === undefined) {
    names = {
      specversion: `${prefix}specversion`,
      datacontenttype: `${prefix}datacontenttype`,
      schemaversion: `${prefix}schemaversion`,
      strings: STRING_ATTRIBUTES.map((name) => [name, `${prefix}${name}`] as const),
      attributeOf: new Map([...ATTRIBUTES].map((name) => [`${prefix}${name}`, name])),
    };
    namesByPrefix.set(prefix, names);
  }
  return names;
}

/** Encodes an envelope; every check happens here, so nothing invalid reaches a broker. */
export function encodeBinary(envelope: Envelope, options: BindingOptions): BinaryMessage {
  assertEncodable(envelope);
  const names = prefixed(options.headerPrefix);
  const headers: Record<string, string> = {};
  headers[names.specversion] = encodeHeaderValue(envelope.specversion, names.specversion);
  headers[names.datacontenttype] = encodeHeaderValue(envelope.datacontenttype, names.datacontenttype);
  headers[names.schemaversion] = encodeHeaderValue(String(envelope.schemaversion), names.schemaversion);
  for (const [attribute, name] of names.strings) {
    const value = envelope[attribute];
    if (value !== undefined) headers[name] = encodeHeaderValue(value, name);
  }
  for (const [name, value] of Object.entries(envelope.headers ?? {})) {
    if (isAttributeHeader(name, options.headerPrefix)) {
      throw new InvalidInputError(`headers.${name}`, 'collides with a CloudEvents attribute header');
    }
    headers[name] = encodeHeaderValue(value, name);
  }
  const body = utf8.encode(toJson(envelope.data, `envelope '${envelope.id}' data`).text);
  return { headers, body, key: envelope.partitionkey };
}

const REQUIRED_TEXT = ['id', 'type', 'source', 'time', 'partitionkey', 'correlationid'] as const;
const OPTIONAL_TEXT = ['causationid', 'traceparent', 'tracestate', 'tenantid'] as const;

function assertEncodable(envelope: Envelope): void {
  for (const name of REQUIRED_TEXT) {
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
  return attributeOf(name, prefix) !== undefined;
}

/** The attribute a header carries (its lower-case name), or undefined for another header. */
function attributeOf(name: string, prefix: string): string | undefined {
  const exact = prefixed(prefix).attributeOf.get(name);
  if (exact !== undefined) return exact;
  const lower = name.toLowerCase();
  const lowerPrefix = prefix.toLowerCase();
  if (!lower.startsWith(lowerPrefix)) return undefined;
  const attribute = lower.slice(lowerPrefix.length);
  return ATTRIBUTES.has(attribute) ? attribute : undefined;
}

/** Decodes a binary-mode message; anything that is not a valid envelope is a PoisonMessageError. */
export function decodeBinary(
  headers: Readonly<Record<string, string>>,
  body: Uint8Array,
  options: BindingOptions,
): Envelope {
  const { attributes, others } = splitHeaders(headers, options.headerPrefix);
  const attribute = (name: string): string | undefined => attributes[name];
  const required = (name: string) => {
    const value = attributes[name];
    if (value === undefined || value.length === 0)
      throw new PoisonMessageError(`missing '${name}' attribute`);
    return value;
  };
  const specversion = required('specversion');
  if (specversion !== '1.0') throw new PoisonMessageError(`unsupported specversion '${specversion}'`);
  const id = required('id');
  const subject = attribute('subject');
  // Built by assignment in one object, in the attributes' order: a decode per delivery.
  const envelope: Record<string, unknown> = {
    specversion,
    id,
    type: required('type'),
    source: required('source'),
  };
  if (subject !== undefined) envelope.subject = subject;
  envelope.time = validTime(required('time'));
  envelope.datacontenttype = jsonContentType(attribute('datacontenttype'));
  envelope.data = parseBody(body);
  envelope.correlationid = attribute('correlationid') ?? id;
  for (const name of OPTIONAL_TEXT) {
    const value = attribute(name);
    if (value !== undefined) envelope[name] = value;
  }
  envelope.partitionkey = attribute('partitionkey') ?? subject ?? id;
  envelope.schemaversion = schemaVersion(attribute('schemaversion'));
  if (others !== undefined) envelope.headers = others;
  return envelope as unknown as Envelope;
}

function splitHeaders(headers: Readonly<Record<string, string>>, prefix: string) {
  // A plain object, not a Map: messages carry the same attributes in the same order, so these
  // share a shape. Its keys are attribute names only, none of which Object.prototype has.
  const attributes: Record<string, string | undefined> = {};
  let others: Record<string, string> | undefined;
  for (const name of Object.keys(headers)) {
    const raw = headers[name] as string;
    const value = decodeHeaderValue(raw);
    const attribute = attributeOf(name, prefix);
    if (attribute !== undefined) {
      if (value === undefined)
        throw new PoisonMessageError(`header '${name}' is not validly percent-encoded`);
      attributes[attribute] = value;
    } else {
      others ??= {};
      others[name] = value ?? raw;
    }
  }
  return { attributes, others };
}

/** The last time that parsed: deliveries in a burst mostly carry the same millisecond. */
let lastValidTime = '';

function validTime(time: string): string {
  if (time === lastValidTime) return time;
  if (Number.isNaN(Date.parse(time)))
    throw new PoisonMessageError(`'time' attribute '${time}' is not a timestamp`);
  lastValidTime = time;
  return time;
}

function jsonContentType(value: string | undefined): 'application/json' {
  if (value === undefined || value === 'application/json') return 'application/json';
  if (/^application\/json\s*(;.*)?$/i.test(value)) return 'application/json';
  throw new PoisonMessageError(`datacontenttype '${value}' is not application/json`);
}

function schemaVersion(value: string | undefined): number {
  if (value === undefined || value === '1') return 1;
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
