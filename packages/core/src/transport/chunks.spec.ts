import { describe, expect, it } from 'vitest';
import { chunkBySize } from './chunks.js';

describe('chunkBySize', () => {
  it('chunks in order by count and by total size; an item alone may fill a chunk', () => {
    const sizes = [5, 5, 5, 20, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1];
    const chunks = chunkBySize(sizes, (size) => size, 20, 10);
    expect(chunks).toEqual([[5, 5, 5], [20], [1, 1, 1, 1, 1, 1, 1, 1, 1, 1], [1, 1]]);
  });

  it('limits only the size when no count is given; an item over the size goes alone', () => {
    expect(chunkBySize([3, 3, 3, 9, 1], (size) => size, 8)).toEqual([[3, 3], [3], [9], [1]]);
  });
});
