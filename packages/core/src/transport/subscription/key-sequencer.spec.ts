import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeySequencer } from './key-sequencer.js';

interface Item {
  readonly key: string;
  readonly index: number;
  readonly ticks: number;
}

const ticks = (count: number) => new Promise<void>((resolve) => setTimeout(resolve, count));

describe('KeySequencer', () => {
  it('runs one item per key at a time, in arrival order, and keys concurrently', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({ key: fc.constantFrom('a', 'b', 'c', 'd'), ticks: fc.nat(3), pauseAfter: fc.boolean() }),
          {
            minLength: 1,
            maxLength: 40,
          },
        ),
        async (plan) => {
          const started: Item[] = [];
          const running = new Map<string, number>();
          let overlapSameKey = false;
          let mostKeysAtOnce = 0;
          const sequencer = new KeySequencer<Item>(async (item) => {
            overlapSameKey ||= running.has(item.key);
            running.set(item.key, item.index);
            mostKeysAtOnce = Math.max(mostKeysAtOnce, running.size);
            started.push(item);
            await ticks(item.ticks);
            running.delete(item.key);
          });
          for (const [index, step] of plan.entries()) {
            sequencer.push(step.key, { key: step.key, index, ticks: step.ticks });
            if (step.pauseAfter) await ticks(1);
          }
          await sequencer.idle();
          expect(overlapSameKey).toBe(false);
          expect(started.map((item) => item.index).sort((x, y) => x - y)).toEqual(
            plan.map((_, index) => index),
          );
          for (const key of new Set(plan.map((step) => step.key))) {
            const order = started.filter((item) => item.key === key).map((item) => item.index);
            expect(order).toEqual([...order].sort((x, y) => x - y));
          }
          expect(sequencer.size).toBe(0);
          if (new Set(plan.slice(0, 2).map((step) => step.key)).size === 2 && !plan[0]?.pauseAfter) {
            expect(mostKeysAtOnce).toBeGreaterThan(1);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('after stop, finishes what runs and starts nothing more', async () => {
    const release: Array<() => void> = [];
    const ran: number[] = [];
    const sequencer = new KeySequencer<number>(async (item) => {
      ran.push(item);
      await new Promise<void>((resolve) => release.push(resolve));
    });
    sequencer.push('k', 1);
    sequencer.push('k', 2);
    sequencer.push('j', 3);
    sequencer.stop();
    sequencer.push('m', 4);
    for (const resolve of release) resolve();
    await sequencer.idle();
    expect(ran).toEqual([1, 3]);
    expect(sequencer.unstarted()).toEqual([2, 4]);
  });
});
