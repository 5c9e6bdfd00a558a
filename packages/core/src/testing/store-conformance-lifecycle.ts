import { AsyncLocalStorage } from 'node:async_hooks';
import { describe, expect, it } from 'vitest';
import { StoreClosedError, StoreError } from '../errors.js';
import type { UnitOfWork } from '../store/contract.js';
import { anEvent, delay, ManualClock, type OpenStore } from './store-conformance-fixtures.js';

export function describeLeases(open: OpenStore): void {
  describe('leases', () => {
    it('one owner at a time until expiry; the owner renews; release frees it', async () => {
      const clock = new ManualClock();
      const store = await open({ clock: clock.now });
      expect(await store.acquireLease('relay', 'a', 1000)).toBe(true);
      expect(await store.acquireLease('relay', 'b', 1000)).toBe(false);
      expect(await store.acquireLease('other', 'b', 1000)).toBe(true);
      clock.advance(600);
      expect(await store.acquireLease('relay', 'a', 1000)).toBe(true);
      clock.advance(600);
      expect(await store.acquireLease('relay', 'b', 1000)).toBe(false);
      clock.advance(400);
      expect(await store.acquireLease('relay', 'b', 1000)).toBe(true);
      expect(await store.acquireLease('relay', 'a', 1000)).toBe(false);
      await store.releaseLease('relay', 'a');
      expect(await store.acquireLease('relay', 'a', 1000)).toBe(false);
      await store.releaseLease('relay', 'b');
      expect(await store.acquireLease('relay', 'a', 1000)).toBe(true);
    });
  });
}

export function describeLifecycle(open: OpenStore): void {
  describe('lifecycle', () => {
    it('close waits for a running transaction, then refuses every call', async () => {
      const store = await open();
      const running = store.transaction(async (uow) => {
        await delay(20);
        return uow.append('s', [anEvent()], 'no-stream');
      });
      await delay(1);
      await store.close();
      expect((await running).version).toBe(1);
      await expect(store.transaction(async () => 1)).rejects.toThrow(StoreClosedError);
      await expect(store.readAll()).rejects.toThrow(StoreClosedError);
      await expect(store.pendingOutbox(1)).rejects.toThrow(StoreClosedError);
      await expect(store.acquireLease('l', 'o', 10)).rejects.toThrow(StoreClosedError);
      await store.close();
    });

    it('calling the store itself inside one of its transactions is refused, not a deadlock', async () => {
      const store = await open();
      const inside = await store.transaction(async () => ({
        nested: await store.transaction(async () => 1).catch((e: unknown) => e),
        read: await store.readAll().catch((e: unknown) => e),
        write: await store.markDispatched([1]).catch((e: unknown) => e),
        close: await store.close().catch((e: unknown) => e),
      }));
      for (const refused of Object.values(inside)) expect(refused).toBeInstanceOf(StoreError);
      expect((inside.nested as Error).message).toMatch(/unit of work/);
    });

    it("runs each transaction's work in its caller's async context, queued or not", async () => {
      const store = await open();
      const caller = new AsyncLocalStorage<string>();
      const seen = await Promise.all(
        ['a', 'b', 'c', 'd'].map((name) =>
          caller.run(name, () =>
            store.transaction(async () => {
              await delay(1);
              return caller.getStore();
            }),
          ),
        ),
      );
      expect(seen).toEqual(['a', 'b', 'c', 'd']);
    });

    it('a unit of work cannot be used after its transaction ended', async () => {
      const store = await open();
      let escaped: UnitOfWork | undefined;
      await store.transaction(async (uow) => {
        escaped = uow;
      });
      await expect(escaped!.append('s', [anEvent()], 'any')).rejects.toThrow(StoreError);
      expect(await store.readAll()).toEqual([]);
    });
  });
}
