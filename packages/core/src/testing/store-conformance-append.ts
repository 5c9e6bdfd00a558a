import { describe, expect, it } from 'vitest';
import { ConcurrencyError, InvalidInputError } from '../errors.js';
import type { ExpectedVersion } from '../store/contract.js';
import { anEvent, envelopeOf, ids, type OpenStore } from './store-conformance-fixtures.js';

interface VersionCase {
  readonly existing: number;
  readonly expected: ExpectedVersion;
  readonly accepted: boolean;
}

const VERSION_CASES: VersionCase[] = [
  { existing: 0, expected: 'no-stream', accepted: true },
  { existing: 2, expected: 'no-stream', accepted: false },
  { existing: 0, expected: 'exists', accepted: false },
  { existing: 2, expected: 'exists', accepted: true },
  { existing: 0, expected: 'any', accepted: true },
  { existing: 2, expected: 'any', accepted: true },
  { existing: 0, expected: 0, accepted: true },
  { existing: 2, expected: 0, accepted: false },
  { existing: 2, expected: 2, accepted: true },
  { existing: 2, expected: 1, accepted: false },
  { existing: 2, expected: 3, accepted: false },
];

export function describeAppend(open: OpenStore): void {
  describe('append (conformance 1)', () => {
    it('appends to a new stream and reports versions and global positions', async () => {
      const store = await open();
      const events = [anEvent('a'), anEvent('b')];
      const result = await store.transaction((uow) => uow.append('s-1', events, 'no-stream'));
      expect(result).toMatchObject({ streamId: 's-1', previousVersion: 0, version: 2 });
      expect(result.events.map((e) => e.version)).toEqual([1, 2]);
      expect(result.events[1]!.position).toBeGreaterThan(result.events[0]!.position);
      expect(await store.streamVersion('s-1')).toBe(2);
      expect(await store.readStream('s-1')).toEqual(result.events);
    });

    it('keeps every envelope attribute and header', async () => {
      const store = await open();
      const event = anEvent(
        'order.placed',
        { total: 12.5, lines: [{ sku: 'A', qty: 1 }], note: null },
        {
          subject: 'order-1',
          partitionkey: 'order-1',
          source: 'shop',
          schemaversion: 3,
          headers: { 'x-origin': 'test', retry: '0' },
        },
      );
      const traced = {
        ...event,
        causationid: 'cause-1',
        traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
        tracestate: 'vendor=1',
        tenantid: 'tenant-9',
      };
      await store.transaction((uow) => uow.append('order-1', [traced], 'any'));
      const [stored] = await store.readStream('order-1');
      expect(envelopeOf(stored!)).toEqual(traced);
      expect(stored).toMatchObject({ streamId: 'order-1', version: 1 });
    });

    it.each(VERSION_CASES)('expected $expected on a stream at $existing: accepted $accepted', async (c) => {
      const store = await open();
      if (c.existing > 0) {
        await store.transaction((uow) => uow.append('s', [anEvent(), anEvent()], 'no-stream'));
      }
      const attempt = store.transaction((uow) => uow.append('s', [anEvent('next')], c.expected));
      if (c.accepted) {
        expect((await attempt).version).toBe(c.existing + 1);
      } else {
        const error = await attempt.catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ConcurrencyError);
        expect(error).toMatchObject({ streamId: 's', actual: c.existing, expected: String(c.expected) });
        expect(await store.streamVersion('s')).toBe(c.existing);
      }
    });

    it('an empty append checks the version and writes nothing', async () => {
      const store = await open();
      const result = await store.transaction((uow) => uow.append('s', [], 'no-stream'));
      expect(result).toMatchObject({ previousVersion: 0, version: 0, events: [] });
      await expect(store.transaction((uow) => uow.append('s', [], 'exists'))).rejects.toThrow(
        ConcurrencyError,
      );
      expect(await store.readAll()).toEqual([]);
    });

    it('returns what the work returns', async () => {
      const store = await open();
      expect(await store.transaction(async () => ({ answer: 42 }))).toEqual({ answer: 42 });
    });

    it('of concurrent appends at one version exactly one wins; the losers leave nothing', async () => {
      const store = await open();
      await store.transaction((uow) => uow.append('race', [anEvent('start')], 'no-stream'));
      const contenders = [0, 1, 2, 3, 4].map((i) =>
        store.transaction(async (uow) => {
          await uow.enqueue([anEvent('msg', { i }, { id: `msg-${i}` })]);
          await uow.claim('consumer', `claim-${i}`);
          await uow.documents('docs').put(`doc-${i}`, { i });
          await uow.saveCheckpoint(`cp-${i}`, i + 1);
          return uow.append('race', [anEvent('won', { i }, { id: `event-${i}` })], 1);
        }),
      );
      const settled = await Promise.allSettled(contenders);
      const winners = settled.flatMap((s, i) => (s.status === 'fulfilled' ? [i] : []));
      expect(winners).toHaveLength(1);
      for (const s of settled) {
        if (s.status === 'fulfilled') continue;
        expect(s.reason).toBeInstanceOf(ConcurrencyError);
        expect(s.reason).toMatchObject({ streamId: 'race', actual: 2 });
      }
      const winner = winners[0]!;
      expect(ids(await store.readAll()).slice(1)).toEqual([`event-${winner}`]);
      expect((await store.pendingOutbox(10)).map((row) => row.envelope.id)).toEqual([`msg-${winner}`]);
      const leftovers = await store.transaction(async (uow) => ({
        docs: ids(await uow.documents('docs').list()),
        reclaimable: await Promise.all([0, 1, 2, 3, 4].map((i) => uow.claim('consumer', `claim-${i}`))),
        checkpoints: await Promise.all([0, 1, 2, 3, 4].map((i) => uow.loadCheckpoint(`cp-${i}`))),
      }));
      expect(leftovers.docs).toEqual([`doc-${winner}`]);
      expect(leftovers.reclaimable).toEqual([0, 1, 2, 3, 4].map((i) => i !== winner));
      expect(leftovers.checkpoints.filter((cp) => cp !== undefined)).toEqual([winner + 1]);
    });

    it('a conflict caught inside the work still rolls the whole transaction back', async () => {
      const store = await open();
      await store.transaction((uow) => uow.append('s', [anEvent()], 'no-stream'));
      const attempt = store.transaction(async (uow) => {
        await uow.documents('docs').put('written-before', { ok: true });
        await uow.append('s', [anEvent()], 'no-stream').catch(() => 'swallowed');
        return 'finished';
      });
      await expect(attempt).rejects.toThrow(ConcurrencyError);
      const doc = await store.transaction((uow) => uow.documents('docs').get('written-before'));
      expect(doc).toBeUndefined();
    });

    it('rejects an event id already stored, and that append writes nothing', async () => {
      const store = await open();
      const first = anEvent('first');
      await store.transaction((uow) => uow.append('s-1', [first], 'no-stream'));
      const outcome = await store.transaction(async (uow) => {
        const error = await uow.append('s-2', [anEvent('fresh'), first], 'any').catch((e: unknown) => e);
        await uow.append('s-3', [anEvent('after')], 'no-stream');
        return error;
      });
      expect(outcome).toBeInstanceOf(InvalidInputError);
      expect((outcome as Error).message).toContain(first.id);
      expect(await store.streamVersion('s-2')).toBe(0);
      expect(await store.streamVersion('s-3')).toBe(1);
      const twice = store.transaction((uow) => uow.append('s-4', [first, first], 'any'));
      await expect(twice).rejects.toThrow(/appears twice/);
    });

    it('stores copies: changing objects passed in or read out does not change the store', async () => {
      const store = await open();
      const data = { items: ['a'] };
      const [stored] = (await store.transaction((uow) => uow.append('s', [anEvent('x', data)], 'any')))
        .events;
      data.items.push('mutated-after-append');
      (stored!.data as { items: string[] }).items.push('mutated-result');
      const [read] = await store.readStream('s');
      (read!.data as { items: string[] }).items.push('mutated-read');
      expect((await store.readStream('s'))[0]!.data).toEqual({ items: ['a'] });
    });
  });
}
