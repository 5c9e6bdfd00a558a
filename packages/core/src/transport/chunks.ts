/**
 * Splits `items` in order into runs of at most `maxEntries` items and `maxBytes` total size; an
 * item larger than `maxBytes` makes a run of its own.
 */
export function chunkBySize<Item>(
  items: readonly Item[],
  sizeOf: (item: Item) => number,
  maxBytes: number,
  maxEntries = Number.POSITIVE_INFINITY,
): Item[][] {
  const chunks: Item[][] = [];
  let current: Item[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = sizeOf(item);
    if (current.length > 0 && (current.length >= maxEntries || bytes + size > maxBytes)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
