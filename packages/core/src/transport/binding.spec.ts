import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEnvelope } from '../envelope/create.js';
import type { Envelope } from '../envelope/envelope.js';
import { InvalidInputError, NotSerializableError, PoisonMessageError } from '../errors.js';
import { decodeBinary, encodeBinary } from './binding.js';

const binding = { headerPrefix: 'ce_' };
const utf8 = new TextEncoder();
const text = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 });

const anyEnvelope: fc.Arbitrary<Envelope> = fc
  .record(
    {
      id: text,
      type: text,
      source: text,
      subject: text,
      time: fc
        .date({ min: new Date('1970-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
        .map((date) => date.toISOString()),
      // data round-trips as JSON does: -0 comes back as 0, so generate what JSON can say
      data: fc.jsonValue().map((value) => JSON.parse(JSON.stringify(value))),
      correlationid: text,
      causationid: text,
      traceparent: text,
      tracestate: text,
      tenantid: text,
      partitionkey: text,
      schemaversion: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
      headers: fc.dictionary(
        fc.stringMatching(/^(x-|ce_x)[a-z0-9-]{1,8}$/),
        fc.string({ unit: 'grapheme', maxLength: 12 }),
        { minKeys: 1, maxKeys: 4 },
      ),
    },
    {
      requiredKeys: [
        'id',
        'type',
        'source',
        'time',
        'data',
        'correlationid',
        'partitionkey',
        'schemaversion',
      ],
    },
  )
  .map((fields) => ({ specversion: '1.0', datacontenttype: 'application/json', ...fields }) as Envelope);

function roundTrip(envelope: Envelope): Envelope {
  const { headers, body } = encodeBinary(envelope, binding);
  return decodeBinary(headers, body, binding);
}

function poisonProblem(headers: Record<string, string>, body: Uint8Array): string {
  try {
    decodeBinary(headers, body, binding);
  } catch (error) {
    expect(error).toBeInstanceOf(PoisonMessageError);
    return (error as PoisonMessageError).problem;
  }
  throw new Error('expected a PoisonMessageError');
}

describe('CloudEvents binary binding', () => {
  it('round-trips any envelope exactly', () => {
    fc.assert(
      fc.property(anyEnvelope, (envelope) => {
        expect(roundTrip(envelope)).toEqual(envelope);
      }),
      { numRuns: 500 },
    );
  });

  it('puts every attribute in a prefixed header, the headers beside them and the data in the body', () => {
    const envelope = createEnvelope(
      { type: 'cart.item-added', data: { sku: 'A1' }, subject: 'cart 42', headers: { 'x-retry': 'ü' } },
      { correlationid: 'c-1', tenantid: 't-1' },
    );
    const encoded = encodeBinary(envelope, binding);
    expect(encoded.headers).toMatchObject({
      ce_specversion: '1.0',
      ce_id: envelope.id,
      ce_type: 'cart.item-added',
      ce_subject: 'cart%2042',
      ce_correlationid: 'c-1',
      ce_tenantid: 't-1',
      ce_partitionkey: 'cart%2042',
      ce_schemaversion: '1',
      'x-retry': '%C3%BC',
    });
    expect(new TextDecoder().decode(encoded.body)).toBe('{"sku":"A1"}');
    expect(encoded.key).toBe('cart 42');
  });

  it('reads attribute headers whatever their case and fills in defaults for optional ones', () => {
    const decoded = decodeBinary(
      { CE_SpecVersion: '1.0', ce_id: 'm-1', ce_type: 't', ce_source: 's', ce_time: '2030-01-01T00:00:00Z' },
      utf8.encode('null'),
      binding,
    );
    expect(decoded).toEqual({
      specversion: '1.0',
      id: 'm-1',
      type: 't',
      source: 's',
      time: '2030-01-01T00:00:00Z',
      datacontenttype: 'application/json',
      data: null,
      correlationid: 'm-1',
      partitionkey: 'm-1',
      schemaversion: 1,
    });
  });

  it('refuses to encode what could not be decoded back', () => {
    const envelope = createEnvelope({ type: 't', data: {} });
    expect(() => encodeBinary({ ...envelope, headers: { CE_ID: 'clash' } }, binding)).toThrow(
      InvalidInputError,
    );
    expect(() => encodeBinary({ ...envelope, data: { at: new Date() } as never }, binding)).toThrow(
      NotSerializableError,
    );
    expect(() => encodeBinary({ ...envelope, schemaversion: 0 }, binding)).toThrow(/schemaversion/);
    expect(() => encodeBinary({ ...envelope, id: '' }, binding)).toThrow(/envelope.id/);
    expect(() => encodeBinary({ ...envelope, subject: '\ud800' }, binding)).toThrow(/surrogate/);
  });

  describe('names what is wrong with undecodable bytes', () => {
    const valid = encodeBinary(createEnvelope({ type: 't', data: { ok: true } }), binding);
    const without = (name: string) =>
      Object.fromEntries(Object.entries(valid.headers).filter(([key]) => key !== name));
    const cases: Array<[string, Record<string, string>, Uint8Array, RegExp]> = [
      ['no id', without('ce_id'), valid.body, /missing 'id'/],
      ['no type', without('ce_type'), valid.body, /missing 'type'/],
      ['no specversion', without('ce_specversion'), valid.body, /missing 'specversion'/],
      ['another specversion', { ...valid.headers, ce_specversion: '0.3' }, valid.body, /specversion '0.3'/],
      ['bad JSON', valid.headers, utf8.encode('{"a":'), /not JSON/],
      ['an empty body', valid.headers, new Uint8Array(), /empty/],
      ['invalid UTF-8', valid.headers, new Uint8Array([0xff, 0xfe]), /UTF-8/],
      ['a bad schemaversion', { ...valid.headers, ce_schemaversion: '1.5' }, valid.body, /schemaversion/],
      ['a bad time', { ...valid.headers, ce_time: 'yesterday' }, valid.body, /timestamp/],
      [
        'another content type',
        { ...valid.headers, ce_datacontenttype: 'text/plain' },
        valid.body,
        /text\/plain/,
      ],
      ['a broken escape', { ...valid.headers, ce_source: '%E0%A4%A' }, valid.body, /percent-encoded/],
    ];
    for (const [what, headers, body, problem] of cases) {
      it(what, () => {
        expect(poisonProblem(headers, body)).toMatch(problem);
      });
    }
  });
});
