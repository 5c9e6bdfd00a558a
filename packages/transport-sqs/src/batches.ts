/** SNS PublishBatch and the SQS batch calls take at most 10 entries. */
export const MAX_BATCH_ENTRIES = 10;

/** Splits `items` in order into runs of at most `maxEntries` items and `maxBytes` total size. */
export function chunkBySize<Item>(
  items: readonly Item[],
  sizeOf: (item: Item) => number,
  maxBytes: number,
  maxEntries = MAX_BATCH_ENTRIES,
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

/** Runs `tasks` with at most `limit` at once; rejects with the first failure once all have settled. */
export async function runLimited(tasks: ReadonlyArray<() => Promise<void>>, limit: number): Promise<void> {
  let next = 0;
  const failures: unknown[] = [];
  const worker = async () => {
    while (next < tasks.length) {
      const task = tasks[next++] as () => Promise<void>;
      await task().catch((error: unknown) => failures.push(error));
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  if (failures.length > 0) throw failures[0];
}
