import { describe, expect, it } from 'vitest';
import { runLimited } from './batches.js';
import { MicroBatcher } from './micro-batcher.js';

describe('batches', () => {
  it('runs tasks at most `limit` at once and reports the first failure after all settled', async () => {
    let running = 0;
    let most = 0;
    let finished = 0;
    const task = (fails: boolean) => async () => {
      most = Math.max(most, ++running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running--;
      finished++;
      if (fails) throw new Error('task failed');
    };
    const tasks = [false, true, false, false, false].map(task);
    await expect(runLimited(tasks, 2)).rejects.toThrow('task failed');
    expect(most).toBe(2);
    expect(finished).toBe(5);
  });

  it('gathers requests of one turn into batches of 10, each caller getting its own result', async () => {
    const calls: number[][] = [];
    const batcher = new MicroBatcher<number, string>(async (items) => {
      calls.push([...items]);
      return items.map((item) => `done ${item}`);
    });
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => batcher.add(i)));
    expect(results).toEqual(Array.from({ length: 12 }, (_, i) => `done ${i}`));
    expect(calls.map((call) => call.length)).toEqual([10, 2]);
  });

  it('fails every caller of a batch whose call failed', async () => {
    const batcher = new MicroBatcher<number, boolean>(async () => {
      throw new Error('unreachable');
    });
    const results = await Promise.allSettled([batcher.add(1), batcher.add(2)]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
  });
});
