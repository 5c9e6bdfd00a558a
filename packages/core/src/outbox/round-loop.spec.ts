import { describe, expect, it } from 'vitest';
import { EventloomError } from '../errors.js';
import { waitFor } from '../testing/wait.js';
import { RoundLoop, type RoundLoopConfig } from './round-loop.js';

const noCommits: RoundLoopConfig['store'] = { onOutboxCommit: () => () => {} };
const stopped = { code: 'loop-stopped', message: 'cannot restart' };
const retryBackoff = { initialMs: 1, maxMs: 1, multiplier: 1 };

describe('round loop', () => {
  it('counts failed rounds in a row, backs off, and starts again from 1 after a good round', async () => {
    const outcomes = [false, false, true, false];
    const attempts: number[] = [];
    const windDowns: boolean[] = [];
    const loop = new RoundLoop({
      store: noCommits,
      round: async () => {
        if (outcomes.shift() === false) throw new Error('round failed');
        return outcomes.length === 0 ? 60_000 : 0;
      },
      retryBackoff,
      failed: (_, attempt) => attempts.push(attempt),
      stopped,
      windDown: async (started) => {
        windDowns.push(started);
      },
    });
    loop.start();
    await waitFor(
      () => attempts.length === 3,
      { timeoutMs: 5_000 },
      () => 'three failed rounds',
    );
    await loop.stop();
    expect(attempts).toEqual([1, 2, 1]);
    expect(windDowns).toEqual([true]);
    expect(() => loop.start()).toThrow(EventloomError);
  });

  it('winds down once, told that it never ran, when stopped before starting', async () => {
    const windDowns: boolean[] = [];
    const loop = new RoundLoop({
      store: noCommits,
      round: async () => 0,
      retryBackoff,
      failed: undefined,
      stopped,
      windDown: async (started) => {
        windDowns.push(started);
      },
    });
    await Promise.all([loop.stop(), loop.stop()]);
    expect(windDowns).toEqual([false]);
  });
});
