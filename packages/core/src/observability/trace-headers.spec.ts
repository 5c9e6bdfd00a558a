import * as api from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { spanContextOf, traceHeadersOf } from './trace-headers.js';

const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
const spanId = '00f067aa0ba902b7';

describe('W3C trace context in envelopes', () => {
  it('writes a span context as traceparent and tracestate, and reads it back as a remote parent', () => {
    const span = { traceId, spanId, traceFlags: 1, traceState: api.createTraceState('vendor=x,other=y') };
    const headers = traceHeadersOf(api, span);
    expect(headers).toEqual({ traceparent: `00-${traceId}-${spanId}-01`, tracestate: 'vendor=x,other=y' });
    const read = spanContextOf(api, headers!);
    expect(read).toMatchObject({ traceId, spanId, traceFlags: 1, isRemote: true });
    expect(read?.traceState?.get('vendor')).toBe('x');
  });

  it('leaves out an empty tracestate and an invalid span context', () => {
    expect(traceHeadersOf(api, { traceId, spanId, traceFlags: 0 })).toEqual({
      traceparent: `00-${traceId}-${spanId}-00`,
    });
    expect(traceHeadersOf(api, api.INVALID_SPAN_CONTEXT)).toBeUndefined();
  });

  it.each([
    ['absent', undefined],
    ['garbage', 'not a traceparent'],
    ['upper case', `00-${traceId.toUpperCase()}-${spanId}-01`],
    ['version ff', `ff-${traceId}-${spanId}-01`],
    ['extra fields on version 00', `00-${traceId}-${spanId}-01-extra`],
    ['zero trace id', `00-${'0'.repeat(32)}-${spanId}-01`],
    ['zero span id', `00-${traceId}-${'0'.repeat(16)}-01`],
  ])('ignores a traceparent that is %s', (_case, traceparent) => {
    expect(spanContextOf(api, traceparent === undefined ? {} : { traceparent })).toBeUndefined();
  });

  it('accepts a later version with more fields', () => {
    expect(spanContextOf(api, { traceparent: `01-${traceId}-${spanId}-01-more` })?.spanId).toBe(spanId);
  });
});
