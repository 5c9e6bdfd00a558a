/** Tasks run back to back on promise callbacks; after this many, the event loop gets a turn. */
const TASKS_BETWEEN_TURNS = 256;

/**
 * Runs tasks one at a time in call order; a failed task does not block the ones behind it.
 * Each task runs in its caller's async context. A long queue of tasks would otherwise run on
 * microtasks alone and hold off timers, I/O and anything waiting for the next turn (consumers
 * batching their receives, lease extensions): every TASKS_BETWEEN_TURNS tasks it yields once.
 */
export class Mutex {
  private tail: Promise<unknown> = Promise.resolve();
  private queuedSinceTurn = 0;

  run<T>(task: () => Promise<T> | T): Promise<T> {
    if (++this.queuedSinceTurn >= TASKS_BETWEEN_TURNS) {
      this.queuedSinceTurn = 0;
      this.tail = this.tail.then(nextTurn);
    }
    const result = this.tail.then(task);
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Resolves once every task queued so far has finished. */
  async idle(): Promise<void> {
    await this.run(() => undefined);
  }
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
