import { createEnvelope, decodeBinary, encodeBinary, InvalidInputError } from '@eventloom/core';
import { describe, expect, it } from 'vitest';
import { fromNatsHeaders, NATS_HEADER_PREFIX, toNatsHeaders } from './binding.js';

const binding = { headerPrefix: NATS_HEADER_PREFIX };

describe('CloudEvents NATS binding', () => {
  it('carries every attribute and header through NATS headers and back', () => {
    const envelope = createEnvelope({
      type: 'cart.item-added',
      data: { sku: 'A1', note: 'ünï "q" 100%' },
      subject: 'cart-42',
      headers: { 'X-Mixed-Case': 'value with spaces', 'x-lower': 'v' },
    });
    const encoded = encodeBinary(envelope, binding);
    const wire = toNatsHeaders(encoded.headers);
    wire.set('Nats-Msg-Id', envelope.id);
    const received = fromNatsHeaders(wire);
    expect(received).toEqual(encoded.headers);
    expect(decodeBinary(received, encoded.body, binding)).toEqual(envelope);
  });

  it('rejects headers reserved by NATS and names NATS cannot carry', () => {
    expect(() => toNatsHeaders({ 'nats-msg-id': 'x' })).toThrow(InvalidInputError);
    expect(() => toNatsHeaders({ 'bad:name': 'x' })).toThrow(InvalidInputError);
  });
});
