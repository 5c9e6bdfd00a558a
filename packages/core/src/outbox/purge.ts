/**
 * Deletes in bounded batches: at most `maxBatches` calls of `purgeBatch(batchSize)`, stopping
 * early when a batch comes back short. Returns how many rows went.
 */
export async function purgeInBatches(
  purgeBatch: (limit: number) => Promise<number>,
  batchSize: number,
  maxBatches: number,
): Promise<number> {
  let total = 0;
  for (let batch = 0; batch < maxBatches; batch++) {
    const purged = await purgeBatch(batchSize);
    total += purged;
    if (purged < batchSize) break;
  }
  return total;
}
