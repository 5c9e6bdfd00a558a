import { describe, expect, it } from 'vitest';
import { GroupStarts, partitionLag } from './consumer-lag.js';

describe('partitionLag', () => {
  const log = { low: '5', high: '12' };

  it('counts from the committed offset to the high watermark', () => {
    expect(partitionLag(log, '9', undefined)).toBe(3);
    expect(partitionLag(log, '12', 'start')).toBe(0);
  });

  it('counts a committed offset below the low watermark from the low watermark', () => {
    expect(partitionLag(log, '2', undefined)).toBe(7);
  });

  it('counts an uncommitted partition as 0, or as the whole retained log for a group read from the start', () => {
    expect(partitionLag(log, '-1', undefined)).toBe(0);
    expect(partitionLag(log, undefined, 'new')).toBe(0);
    expect(partitionLag(log, undefined, 'start')).toBe(7);
    expect(partitionLag(log, '-1', 'start')).toBe(7);
  });
});

describe('GroupStarts', () => {
  it("keeps each group's topics apart, the latest subscription deciding where a topic starts", () => {
    const starts = new GroupStarts();
    starts.record('a', ['t1', 't2'], 'start');
    starts.record('a', ['t2'], 'new');
    starts.record('b', ['t1'], 'new');
    expect([...starts.of('a')]).toEqual([
      ['t1', 'start'],
      ['t2', 'new'],
    ]);
    expect([...starts.of('b')]).toEqual([['t1', 'new']]);
    expect(starts.of('unknown').size).toBe(0);
  });
});
