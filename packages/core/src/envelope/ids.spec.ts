import { describe, expect, it } from 'vitest';
import { isUuid, uuidv7 } from './ids.js';

const millisOf = (id: string) => Number.parseInt(id.replaceAll('-', '').slice(0, 12), 16);

describe('uuidv7', () => {
  it('sorts in creation order and never repeats, within a millisecond and across many', () => {
    const now = Date.now() + 60_000;
    const ids = Array.from({ length: 20_000 }, (_, index) => uuidv7(now + Math.floor(index / 5_000)));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids.map((id) => id.slice(19))).size).toBeGreaterThan(19_990);
  });

  it('carries the time, version 7 and the RFC 9562 variant', () => {
    // Increasing, as the clock only moves ids forwards.
    for (const now of [Date.now() + 120_000, 0x1234_5678_9abc, 0xa0a0_b0b0_c0c0, 0xfedc_ba98_7654]) {
      const id = uuidv7(now);
      expect(isUuid(id)).toBe(true);
      expect(millisOf(id)).toBe(now);
      expect(id[14]).toBe('7');
      expect('89ab').toContain(id[19]);
    }
  });
});
