import type { MessageAttributeValue as SnsAttribute } from '@aws-sdk/client-sns';
import type { MessageAttributeValue as SqsAttribute } from '@aws-sdk/client-sqs';

/**
 * CloudEvents on SNS/SQS message attributes. SQS drops a message with more than 10 attributes,
 * so the binary-mode headers (core `encodeBinary`, prefix `ce-`) are packed into at most 10:
 *
 * | attribute          | holds                                                                  |
 * |--------------------|------------------------------------------------------------------------|
 * | `eventType`        | the Eventloom topic (the event type under the default topic naming); SNS filter policies match it |
 * | `ce-id`, `ce-type`, `ce-source`, `ce-subject`, `ce-time`, `ce-partitionkey`, `ce-correlationid` | that attribute, as is |
 * | `ce-extensions`    | JSON object of every other `ce-` header: specversion, datacontenttype, schemaversion, causationid, traceparent, tracestate, tenantid |
 * | `eventloom-headers`| JSON object of the envelope's own headers and the dead-letter headers  |
 *
 * The body is the JSON data. Attributes published by others arrive as headers of the same name.
 */
export const SQS_HEADER_PREFIX = 'ce-';
export const TOPIC_ATTRIBUTE = 'eventType';
export const EXTENSIONS_ATTRIBUTE = 'ce-extensions';
export const HEADERS_ATTRIBUTE = 'eventloom-headers';

const OWN_ATTRIBUTES = new Set(
  ['id', 'type', 'source', 'subject', 'time', 'partitionkey', 'correlationid'].map(
    (name) => `${SQS_HEADER_PREFIX}${name}`,
  ),
);
const STRING = 'String';

export type MessageAttributes = Record<string, SnsAttribute & SqsAttribute>;

/** The attributes that carry `headers` of a message on `topic`. */
export function toAttributes(topic: string, headers: Readonly<Record<string, string>>): MessageAttributes {
  const attributes: MessageAttributes = { [TOPIC_ATTRIBUTE]: text(topic) };
  const extensions: Record<string, string> = {};
  const others: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    // SQS refuses empty attribute values, so an empty one travels inside a JSON attribute.
    if (OWN_ATTRIBUTES.has(name) && value.length > 0) attributes[name] = text(value);
    else if (name.startsWith(SQS_HEADER_PREFIX)) extensions[name] = value;
    else others[name] = value;
  }
  if (Object.keys(extensions).length > 0) attributes[EXTENSIONS_ATTRIBUTE] = text(JSON.stringify(extensions));
  if (Object.keys(others).length > 0) attributes[HEADERS_ATTRIBUTE] = text(JSON.stringify(others));
  return attributes;
}

export interface ReceivedHeaders {
  readonly topic: string | undefined;
  readonly headers: Record<string, string>;
}

/** The inverse of `toAttributes`; a JSON attribute that does not parse stays a header as it came. */
export function fromAttributes(
  attributes: Readonly<Record<string, SqsAttribute>> | undefined,
): ReceivedHeaders {
  let topic: string | undefined;
  const headers: Record<string, string> = {};
  for (const [name, attribute] of Object.entries(attributes ?? {})) {
    const value = attribute.StringValue;
    if (value === undefined) continue;
    if (name === TOPIC_ATTRIBUTE) topic = value;
    else if (name === EXTENSIONS_ATTRIBUTE || name === HEADERS_ATTRIBUTE) {
      Object.assign(headers, parseStringRecord(value) ?? { [name]: value });
    } else headers[name] = value;
  }
  return { topic, headers };
}

/** Bytes SNS and SQS count for a message: body plus every attribute's name, type and value. */
export function wireSize(body: string, attributes: MessageAttributes): number {
  let size = Buffer.byteLength(body, 'utf8');
  for (const [name, attribute] of Object.entries(attributes)) {
    size += Buffer.byteLength(name) + Buffer.byteLength(attribute.DataType ?? '');
    size += Buffer.byteLength(attribute.StringValue ?? '');
  }
  return size;
}

function text(value: string): SnsAttribute & SqsAttribute {
  return { DataType: STRING, StringValue: value };
}

function parseStringRecord(json: string): Record<string, string> | undefined {
  try {
    const parsed: unknown = JSON.parse(json);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
    const entries = Object.entries(parsed);
    return entries.every(([, value]) => typeof value === 'string')
      ? (Object.fromEntries(entries) as Record<string, string>)
      : undefined;
  } catch {
    return undefined;
  }
}
