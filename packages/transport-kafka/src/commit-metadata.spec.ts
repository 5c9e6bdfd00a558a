import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeProgress, encodeProgress, MAX_METADATA_CHARS } from './commit-metadata.js';

describe('commit metadata', () => {
  it('round-trips the unacked offsets and their delivery counts', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 2n ** 40n }).map(Number),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 500 }), fc.integer({ min: 0, max: 50 })), {
          maxLength: 60,
        }),
        fc.integer({ min: 0, max: 600 }),
        (base, pairs, extra) => {
          const unacked = new Map(pairs.map(([relative, deliveries]) => [base + relative, deliveries]));
          const end = base + Math.max(extra, ...pairs.map(([relative]) => relative + 1));
          const { metadata, end: kept } = encodeProgress(base, { end, unacked });
          expect(kept).toBe(end);
          expect(decodeProgress(base, metadata)).toEqual({ end, unacked });
        },
      ),
    );
  });

  it('compresses runs of consecutive offsets with one count', () => {
    const unacked = new Map(Array.from({ length: 1_000 }, (_, i) => [100 + i, 1]));
    const { metadata } = encodeProgress(100, { end: 1_100, unacked });
    expect(metadata).toBe('el1;rs;0.1*rs');
  });

  it('cuts too long a list, moving end down to the first offset left out', () => {
    const unacked = new Map(Array.from({ length: 2_000 }, (_, i) => [i * 2, i % 7]));
    const { metadata, end } = encodeProgress(0, { end: 4_000, unacked });
    expect(metadata.length).toBeLessThanOrEqual(MAX_METADATA_CHARS);
    const decoded = decodeProgress(0, metadata);
    expect(decoded?.end).toBe(end);
    expect(end).toBeLessThan(4_000);
    for (const [offset, deliveries] of decoded?.unacked ?? []) expect(unacked.get(offset)).toBe(deliveries);
    expect(decoded?.unacked.size).toBe(end / 2);
  });

  it('ignores metadata it did not write', () => {
    expect(decodeProgress(5, null)).toBeUndefined();
    expect(decodeProgress(5, 'event-id-3')).toBeUndefined();
    expect(decodeProgress(5, 'el1;x;!!')).toBeUndefined();
  });
});
