import { describe, expect, it } from 'vitest';
import { anEvent, gate, ManualClock, type OpenStore } from './store-conformance-fixtures.js';

const messageIds = (rows: readonly { envelope: { id: string } }[]) => rows.map((row) => row.envelope.id);

export function describeOutbox(open: OpenStore): void {
  describe('outbox (conformance 4)', () => {
    it('keeps the whole envelope and the enqueue time', async () => {
      const clock = new ManualClock();
      const store = await open({ clock: clock.now });
      const message = {
        ...anEvent('order.shipped', { parcels: [1, 2] }, { subject: 'o-1', partitionkey: 'o-1' }),
        causationid: 'c-1',
        tenantid: 't-1',
        headers: { reason: 'test' },
      };
      await store.transaction((uow) => uow.enqueue([message]));
      const [row] = await store.pendingOutbox(10);
      expect(row!.envelope).toEqual(message);
      expect(row!.enqueuedAt).toEqual(clock.now());
    });

    it('rows appear only after commit', async () => {
      const store = await open();
      let committed = false;
      store.onOutboxCommit(() => {
        committed = true;
      });
      const release = gate();
      const enqueued = gate();
      const writer = store.transaction(async (uow) => {
        await uow.enqueue([anEvent('m', {}, { id: 'm-1' })]);
        enqueued.open();
        await release.opened;
      });
      await enqueued.opened;
      const during = store.pendingOutbox(10).then((rows) => ({ rows, committed }));
      release.open();
      await writer;
      const read = await during;
      if (!read.committed) expect(read.rows).toEqual([]);
      expect(messageIds(await store.pendingOutbox(10))).toEqual(['m-1']);
    });

    it('a rolled-back transaction’s rows never appear', async () => {
      const store = await open();
      const failed = store.transaction(async (uow) => {
        await uow.enqueue([anEvent('m')]);
        throw new Error('rolled back on purpose');
      });
      await expect(failed).rejects.toThrow('rolled back on purpose');
      expect(await store.pendingOutbox(10)).toEqual([]);
      expect(await store.outboxBacklog()).toEqual({ pending: 0, oldestEnqueuedAt: undefined });
    });

    it('rows come in commit order, which per partition key is the order they were enqueued', async () => {
      const store = await open();
      const batches = [['k1-a', 'k2-a'], ['k1-b'], ['k2-b', 'k1-c']];
      for (const batch of batches) {
        const messages = batch.map((id) => anEvent('m', {}, { id, partitionkey: id.slice(0, 2) }));
        await store.transaction((uow) => uow.enqueue(messages));
      }
      const rows = await store.pendingOutbox(10);
      expect(messageIds(rows)).toEqual(batches.flat());
      const seqs = rows.map((row) => row.seq);
      expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
      expect(new Set(seqs).size).toBe(seqs.length);
    });

    it('concurrent writers: outbox order per key agrees with the order of their events', async () => {
      const store = await open();
      const writers = Array.from({ length: 12 }, (_, i) =>
        store.transaction(async (uow) => {
          await uow.append('shared', [anEvent('e', { i }, { id: `event-${i}` })], 'any');
          await uow.enqueue([anEvent('m', { i }, { id: `message-${i}`, partitionkey: 'k' })]);
        }),
      );
      await Promise.all(writers);
      const eventOrder = (await store.readAll()).map((e) => e.id.replace('event', ''));
      const outboxOrder = messageIds(await store.pendingOutbox(100)).map((id) => id.replace('message', ''));
      expect(outboxOrder).toEqual(eventOrder);
    });

    it('markDispatched removes rows from the pending ones; pendingOutbox honours its limit', async () => {
      const clock = new ManualClock();
      const store = await open({ clock: clock.now });
      const firstEnqueue = clock.now();
      await store.transaction((uow) => uow.enqueue([anEvent('m', {}, { id: 'm-1' })]));
      clock.advance(10);
      await store.transaction((uow) => uow.enqueue(['m-2', 'm-3'].map((id) => anEvent('m', {}, { id }))));
      const rows = await store.pendingOutbox(2);
      expect(messageIds(rows)).toEqual(['m-1', 'm-2']);
      expect(await store.outboxBacklog()).toEqual({ pending: 3, oldestEnqueuedAt: firstEnqueue });
      await store.markDispatched(rows.map((row) => row.seq));
      await store.markDispatched(rows.map((row) => row.seq));
      expect(messageIds(await store.pendingOutbox(10))).toEqual(['m-3']);
      expect(await store.outboxBacklog()).toEqual({ pending: 1, oldestEnqueuedAt: clock.now() });
    });

    it('purgeDispatched deletes at most `limit` rows dispatched before the cut-off', async () => {
      const clock = new ManualClock();
      const store = await open({ clock: clock.now });
      await store.transaction((uow) =>
        uow.enqueue([1, 2, 3, 4, 5, 6].map((n) => anEvent('m', {}, { id: `m-${n}` }))),
      );
      const rows = await store.pendingOutbox(10);
      await store.markDispatched(rows.slice(0, 4).map((row) => row.seq));
      const cutOff = clock.advance(1000);
      await store.markDispatched([rows[4]!.seq]);
      expect(await store.purgeDispatched(cutOff, 3)).toBe(3);
      expect(await store.purgeDispatched(cutOff, 3)).toBe(1);
      expect(await store.purgeDispatched(cutOff, 3)).toBe(0);
      expect(await store.purgeDispatched(clock.advance(1), 10)).toBe(1);
      expect(messageIds(await store.pendingOutbox(10))).toEqual(['m-6']);
    });

    it('onOutboxCommit fires after commits that wrote outbox or scheduled rows, until unsubscribed', async () => {
      const clock = new ManualClock();
      const store = await open({ clock: clock.now });
      const seenAtCall: string[][] = [];
      const reads: Promise<void>[] = [];
      const unsubscribe = store.onOutboxCommit(() => {
        reads.push(store.pendingOutbox(10).then((rows) => void seenAtCall.push(messageIds(rows))));
      });
      await store.transaction((uow) => uow.append('s', [anEvent()], 'any'));
      await store.transaction(async () => 'nothing written');
      await store
        .transaction(async (uow) => {
          await uow.enqueue([anEvent('m')]);
          throw new Error('rolled back');
        })
        .catch(() => undefined);
      expect(reads).toHaveLength(0);
      await store.transaction((uow) => uow.enqueue([anEvent('m', {}, { id: 'm-1' })]));
      expect(reads).toHaveLength(1);
      await store.transaction((uow) => uow.schedule({ id: 't-1', dueAt: clock.at(5), envelope: anEvent() }));
      expect(reads).toHaveLength(2);
      unsubscribe();
      await store.transaction((uow) => uow.enqueue([anEvent('m')]));
      expect(reads).toHaveLength(2);
      await Promise.all(reads);
      expect(seenAtCall[0]).toEqual(['m-1']);
    });
  });
}
