import { describe, expect, it } from 'vitest';
import type { EventStore, ReadStreamOptions, StoredEvent } from '../store/contract.js';
import { anEvent, delay, gate, ids, type OpenStore } from './store-conformance-fixtures.js';

const RANGES: { options: ReadStreamOptions; versions: number[] }[] = [
  { options: {}, versions: [1, 2, 3, 4, 5] },
  { options: { fromVersion: 3 }, versions: [3, 4, 5] },
  { options: { fromVersion: 2, maxCount: 2 }, versions: [2, 3] },
  { options: { fromVersion: 0, maxCount: 1 }, versions: [1] },
  { options: { fromVersion: 6 }, versions: [] },
  { options: { maxCount: 0 }, versions: [] },
  { options: { direction: 'backwards' }, versions: [5, 4, 3, 2, 1] },
  { options: { direction: 'backwards', fromVersion: 4, maxCount: 2 }, versions: [4, 3] },
  { options: { direction: 'backwards', fromVersion: 10, maxCount: 2 }, versions: [5, 4] },
  { options: { direction: 'backwards', fromVersion: 1 }, versions: [1] },
];

export function describeReading(open: OpenStore): void {
  describe('reading (conformance 2)', () => {
    it.each(RANGES)('readStream $options gives versions $versions', async ({ options, versions }) => {
      const store = await open();
      const events = [1, 2, 3, 4, 5].map((n) => anEvent('counted', { n }));
      await store.transaction((uow) => uow.append('s', events, 'no-stream'));
      await store.transaction((uow) => uow.append('other', [anEvent()], 'no-stream'));
      const read = await store.readStream('s', options);
      expect(read.map((e) => e.version)).toEqual(versions);
      expect(read.map((e) => e.data)).toEqual(versions.map((n) => ({ n })));
      expect(read.every((e) => e.streamId === 's')).toBe(true);
    });

    it('a stream never written is empty at version 0', async () => {
      const store = await open();
      expect(await store.readStream('nothing-here')).toEqual([]);
      expect(await store.streamVersion('nothing-here')).toBe(0);
    });

    it('readAll gives every stream in commit order, after a position, up to maxCount', async () => {
      const store = await open();
      for (const [stream, type] of [
        ['a', 'a1'],
        ['b', 'b1'],
        ['a', 'a2'],
        ['c', 'c1'],
      ] as const) {
        await store.transaction((uow) => uow.append(stream, [anEvent(type)], 'any'));
      }
      const all = await store.readAll();
      expect(all.map((e) => e.type)).toEqual(['a1', 'b1', 'a2', 'c1']);
      expectStrictlyIncreasing(all.map((e) => e.position));
      const afterFirst = await store.readAll({ after: all[0]!.position, maxCount: 2 });
      expect(afterFirst.map((e) => e.type)).toEqual(['b1', 'a2']);
      expect(await store.readAll({ after: all[3]!.position })).toEqual([]);
    });

    it('inside a transaction reads see its own writes', async () => {
      const store = await open();
      await store.transaction((uow) => uow.append('s', [anEvent('old')], 'no-stream'));
      const seen = await store.transaction(async (uow) => {
        await uow.append('s', [anEvent('new')], 1);
        return {
          version: await uow.streamVersion('s'),
          stream: (await uow.readStream('s')).map((e) => e.type),
          backwards: (await uow.readStream('s', { direction: 'backwards', maxCount: 1 })).map((e) => e.type),
          all: (await uow.readAll()).map((e) => e.type),
        };
      });
      expect(seen).toEqual({ version: 2, stream: ['old', 'new'], backwards: ['new'], all: ['old', 'new'] });
    });

    it('a read outside never sees writes of a transaction that then rolls back', async () => {
      const store = await open();
      const release = gate();
      const started = gate();
      const doomed = store.transaction(async (uow) => {
        await uow.append('s', [anEvent()], 'no-stream');
        await uow.enqueue([anEvent('msg')]);
        started.open();
        await release.opened;
        throw new Error('rolled back on purpose');
      });
      await started.opened;
      const during = Promise.all([store.readAll(), store.streamVersion('s'), store.pendingOutbox(10)]);
      await delay(5);
      release.open();
      await expect(doomed).rejects.toThrow('rolled back on purpose');
      expect(await during).toEqual([[], 0, []]);
    });

    it('a poller reading while transactions commit out of order skips nothing and sees no rollback', async () => {
      const store = await open();
      const delays = [30, 5, 20, 10];
      const failing = 2;
      const writers = delays.map((ms, i) =>
        store.transaction(async (uow) => {
          await uow.append(`s-${i}`, [anEvent('written', { i }, { id: `event-${i}` })], 'no-stream');
          await uow.enqueue([anEvent('sent', { i }, { id: `message-${i}` })]);
          await delay(ms);
          if (i === failing) throw new Error('rolled back on purpose');
        }),
      );
      const poller = new Poller(store);
      await poller.followUntil(Promise.allSettled(writers));
      const committed = [0, 1, 3];
      expect([...poller.eventIds].sort()).toEqual(committed.map((i) => `event-${i}`));
      expect([...poller.messageIds].sort()).toEqual(committed.map((i) => `message-${i}`));
      expectStrictlyIncreasing(poller.positions);
    });
  });
}

/** Follows readAll the way an async projection does, and watches the outbox the way the relay does. */
class Poller {
  readonly positions: number[] = [];
  readonly eventIds: string[] = [];
  readonly messageIds = new Set<string>();
  private lastPosition = 0;

  constructor(private readonly store: EventStore) {}

  /** Polls both, independently, until `finished` settles, then once more. */
  async followUntil(finished: Promise<unknown>): Promise<void> {
    let done = false;
    void finished.then(() => {
      done = true;
    });
    const loop = async (poll: () => Promise<void>) => {
      while (!done) {
        await poll();
        await delay(1);
      }
      await poll();
    };
    await Promise.all([loop(() => this.pollEvents()), loop(() => this.pollOutbox())]);
  }

  private async pollEvents(): Promise<void> {
    const events: StoredEvent[] = await this.store.readAll({ after: this.lastPosition });
    for (const event of events) {
      this.positions.push(event.position);
      this.lastPosition = event.position;
    }
    this.eventIds.push(...ids(events));
  }

  private async pollOutbox(): Promise<void> {
    for (const row of await this.store.pendingOutbox(100)) this.messageIds.add(row.envelope.id);
  }
}

export function expectStrictlyIncreasing(values: readonly number[]): void {
  values.forEach((value, index) => {
    if (index > 0) expect(value).toBeGreaterThan(values[index - 1]!);
  });
}
