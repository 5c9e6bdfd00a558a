/** SNS PublishBatch and the SQS batch calls take at most 10 entries. */
export const MAX_BATCH_ENTRIES = 10;

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
