import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConcurrencyError } from '../errors.js';
import type { AppendResult, EventStore, ExpectedVersion } from '../store/contract.js';
import { versionMatches } from '../store/limits.js';
import { anEvent, ids, type OpenStore } from './store-conformance-fixtures.js';
import { expectStrictlyIncreasing } from './store-conformance-read.js';

interface Attempt {
  readonly stream: number;
  readonly expected: ExpectedVersion;
  readonly eventCount: number;
  /** Event-loop turns to wait before calling transaction, and inside it before appending. */
  readonly before: number;
  readonly inside: number;
}

const attempt: fc.Arbitrary<Attempt> = fc.record({
  stream: fc.integer({ min: 0, max: 2 }),
  expected: fc.oneof(
    fc.constantFrom<ExpectedVersion>('any', 'no-stream', 'exists'),
    fc.integer({ min: 0, max: 6 }),
  ),
  eventCount: fc.integer({ min: 0, max: 3 }),
  before: fc.integer({ min: 0, max: 3 }),
  inside: fc.integer({ min: 0, max: 3 }),
});

const turns = async (count: number) => {
  for (let turn = 0; turn < count; turn++) await new Promise((resolve) => setImmediate(resolve));
};

interface Accepted {
  readonly attempt: Attempt;
  readonly result: AppendResult;
}

async function runConcurrently(store: EventStore, attempts: readonly Attempt[]) {
  const settled = await Promise.allSettled(
    attempts.map(async (a, caller) => {
      await turns(a.before);
      const events = Array.from({ length: a.eventCount }, (_, n) =>
        anEvent('e', { caller, n }, { id: `c${caller}-e${n}` }),
      );
      return store.transaction(async (uow) => {
        await turns(a.inside);
        return uow.append(`s-${a.stream}`, events, a.expected);
      });
    }),
  );
  const accepted: Accepted[] = [];
  settled.forEach((outcome, caller) => {
    const a = attempts[caller]!;
    if (outcome.status === 'fulfilled') {
      accepted.push({ attempt: a, result: outcome.value });
      return;
    }
    expect(outcome.reason).toBeInstanceOf(ConcurrencyError);
    expect(versionMatches(a.expected, (outcome.reason as ConcurrencyError).actual)).toBe(false);
  });
  return accepted;
}

/** Replays the accepted appends in global commit order against a plain model of the streams. */
function replayInCommitOrder(accepted: readonly Accepted[]): Map<string, string[]> {
  const model = new Map<string, string[]>();
  const written = accepted.filter((a) => a.result.events.length > 0);
  written.sort((x, y) => x.result.events[0]!.position - y.result.events[0]!.position);
  for (const { attempt: a, result } of written) {
    const stream = model.get(result.streamId) ?? [];
    expect(result.previousVersion).toBe(stream.length);
    expect(versionMatches(a.expected, stream.length)).toBe(true);
    model.set(result.streamId, [...stream, ...ids(result.events)]);
  }
  return model;
}

export function describeStoreProperty(open: OpenStore): void {
  describe('property: concurrent appends with random expected versions', () => {
    it('streams equal a sequential model of the accepted appends; versions and positions hold', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(attempt, { minLength: 1, maxLength: 10 }), async (attempts) => {
          const store = await open();
          try {
            const accepted = await runConcurrently(store, attempts);
            for (const { attempt: a, result } of accepted) {
              expect(versionMatches(a.expected, result.previousVersion)).toBe(true);
              expect(result.version).toBe(result.previousVersion + a.eventCount);
            }
            const model = replayInCommitOrder(accepted);
            for (const stream of [0, 1, 2].map((s) => `s-${s}`)) {
              const stored = await store.readStream(stream);
              expect(ids(stored)).toEqual(model.get(stream) ?? []);
              expect(stored.map((e) => e.version)).toEqual(stored.map((_, i) => i + 1));
            }
            const all = await store.readAll();
            expectStrictlyIncreasing(all.map((e) => e.position));
            const committed = accepted.flatMap((a) => a.result.events);
            expect(ids(all).sort()).toEqual(ids(committed).sort());
            expect(all).toEqual([...committed].sort((x, y) => x.position - y.position));
          } finally {
            await store.close();
          }
        }),
        { numRuns: 100 },
      );
    });
  });
}
