import { createEnvelope, decodeBinary, encodeBinary } from '@eventloom/core';
import { describe, expect, it } from 'vitest';
import {
  EXTENSIONS_ATTRIBUTE,
  fromAttributes,
  HEADERS_ATTRIBUTE,
  SQS_HEADER_PREFIX,
  TOPIC_ATTRIBUTE,
  toAttributes,
  wireSize,
} from './binding.js';

const binding = { headerPrefix: SQS_HEADER_PREFIX };

const fullEnvelope = () =>
  createEnvelope(
    {
      type: 'billing.invoice-sent',
      data: { total: 12.5, note: 'ünï "quoted" 100%' },
      source: 'billing/service',
      subject: 'invoice-7',
      partitionkey: 'customer-3',
      schemaversion: 2,
      headers: { 'x-request': 'r 1', 'eventloom-dead-letter-reason': 'boom' },
    },
    {
      correlationid: 'c-1',
      causationid: 'cause-1',
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      tracestate: 'vendor=value',
      tenantid: 'tenant-7',
    },
  );

describe('CloudEvents on SNS/SQS message attributes', () => {
  it('carries a full envelope in at most 10 attributes, and back', () => {
    const envelope = fullEnvelope();
    const encoded = encodeBinary(envelope, binding);
    const attributes = toAttributes('billing.invoice-sent', encoded.headers);
    expect(Object.keys(attributes).length).toBeLessThanOrEqual(10);
    expect(attributes[TOPIC_ATTRIBUTE]?.StringValue).toBe('billing.invoice-sent');
    expect(attributes['ce-type']?.StringValue).toBe('billing.invoice-sent');
    expect(attributes[EXTENSIONS_ATTRIBUTE]).toBeDefined();
    expect(attributes[HEADERS_ATTRIBUTE]).toBeDefined();
    const received = fromAttributes(attributes);
    expect(received.topic).toBe('billing.invoice-sent');
    expect(received.headers).toEqual(encoded.headers);
    expect(decodeBinary(received.headers, encoded.body, binding)).toEqual(envelope);
  });

  it('keeps attributes others published as headers, and a broken JSON attribute as it came', () => {
    const received = fromAttributes({
      'x-foreign': { DataType: 'String', StringValue: 'kept' },
      [HEADERS_ATTRIBUTE]: { DataType: 'String', StringValue: '{not json' },
      binary: { DataType: 'Binary', BinaryValue: new Uint8Array([1]) },
    });
    expect(received).toEqual({
      topic: undefined,
      headers: { 'x-foreign': 'kept', [HEADERS_ATTRIBUTE]: '{not json' },
    });
  });

  it('sends an empty attribute inside the JSON attribute, since SQS refuses empty values', () => {
    const attributes = toAttributes('t', { 'ce-subject': '', 'ce-id': 'i' });
    expect(attributes['ce-subject']).toBeUndefined();
    expect(fromAttributes(attributes).headers).toEqual({ 'ce-subject': '', 'ce-id': 'i' });
  });

  it('counts the body and every attribute name, type and value, in bytes', () => {
    const attributes = toAttributes('tö', {});
    expect(wireSize('ab', attributes)).toBe(2 + 'eventType'.length + 'String'.length + 3);
  });
});
