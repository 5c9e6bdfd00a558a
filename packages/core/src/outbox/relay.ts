import type { LeaseManager, OutboxSource } from '../store/contract.js';
import { dispatchBatch } from './dispatch.js';
import { LeaseKeeper } from './lease.js';
import { notify } from './observer.js';
import { type RelayOptions, type RelaySettings, resolveRelayOptions } from './options.js';
import { purgeInBatches } from './purge.js';
import { RoundLoop } from './round-loop.js';

/** At most this many purge batches per round, so cleanup never holds back publishing for long. */
const PURGE_BATCHES_PER_ROUND = 10;

/**
 * Publishes the outbox: the only way a message leaves the process. One relay per lease name is
 * active; it wakes on every in-process commit, polls as a fallback, releases due scheduled
 * messages into the outbox, and purges dispatched rows after their retention.
 */
export class OutboxRelay {
  private readonly settings: RelaySettings;
  private readonly lease: LeaseKeeper;
  private readonly loop: RoundLoop;
  private lastPurgeAt = Number.NEGATIVE_INFINITY;
  private leaseHeld = false;

  constructor(
    private readonly store: OutboxSource & LeaseManager,
    options: RelayOptions,
  ) {
    this.settings = resolveRelayOptions(options);
    const { leaseName, owner, leaseTtlMs } = this.settings;
    this.lease = new LeaseKeeper(store, leaseName, owner, leaseTtlMs);
    this.loop = new RoundLoop({
      store,
      round: () => this.round(),
      retryBackoff: this.settings.retryBackoff,
      failed: this.settings.observer.failed,
      stopped: { code: 'relay-stopped', message: 'a stopped relay cannot restart' },
      windDown: (started) => (started ? this.windDown() : Promise.resolve()),
    });
  }

  get owner(): string {
    return this.settings.owner;
  }

  start(): void {
    this.loop.start();
  }

  /** Finishes the round in progress, publishes what is pending (within drainTimeoutMs), gives up the lease. */
  stop(): Promise<void> {
    return this.loop.stop();
  }

  private async windDown(): Promise<void> {
    if (this.lease.held) await this.drain();
    await this.lease.release().catch((error) => notify(this.settings.observer.failed, error, 0));
    this.reportLease(false);
  }

  /** Returns how long to sleep before the next round: 0 while there is more to do. */
  private async round(): Promise<number> {
    const { batchSize, pollIntervalMs } = this.settings;
    const held = await this.lease.hold();
    this.reportLease(held);
    if (!held) return Math.min(pollIntervalMs, this.lease.nextAttemptInMs());
    const dueInMs = await this.releaseDue();
    const rows = await this.dispatch();
    await this.purgeWhenDue();
    if (rows === batchSize || dueInMs === 0) return 0;
    return Math.min(pollIntervalMs, dueInMs, this.lease.nextAttemptInMs());
  }

  private async dispatch(): Promise<number> {
    const { transport, topicNaming, batchSize, observer } = this.settings;
    const started = performance.now();
    const { rows, messages } = await dispatchBatch(this.store, transport, topicNaming, batchSize);
    if (rows.length === 0) return 0;
    notify(observer.published, rows, performance.now() - started, { transport: transport.kind, messages });
    return rows.length;
  }

  /** Moves due scheduled messages into the outbox; returns ms until the next one is due (0: more now). */
  private async releaseDue(): Promise<number> {
    const { clock, batchSize, observer } = this.settings;
    const next = await this.store.nextDueAt();
    const now = clock();
    if (next === undefined) return Number.POSITIVE_INFINITY;
    if (next.getTime() > now.getTime()) return next.getTime() - now.getTime();
    const released = await this.store.releaseDue(now, batchSize);
    notify(observer.released, released);
    return released > 0 ? 0 : this.settings.pollIntervalMs;
  }

  private async purgeWhenDue(): Promise<void> {
    const { clock, retentionMs, purgeIntervalMs, purgeBatchSize, observer } = this.settings;
    const now = performance.now();
    if (now - this.lastPurgeAt < purgeIntervalMs) return;
    this.lastPurgeAt = now;
    const before = new Date(clock().getTime() - retentionMs);
    const purged = await purgeInBatches(
      (limit) => this.store.purgeDispatched(before, limit),
      purgeBatchSize,
      PURGE_BATCHES_PER_ROUND,
    );
    if (purged > 0) notify(observer.purged, purged);
  }

  private async drain(): Promise<void> {
    const deadline = performance.now() + this.settings.drainTimeoutMs;
    try {
      while (performance.now() < deadline && this.lease.held) {
        if ((await this.dispatch()) < this.settings.batchSize) return;
      }
    } catch (error) {
      notify(this.settings.observer.failed, error, 1);
    }
  }

  private reportLease(held: boolean): void {
    if (held === this.leaseHeld) return;
    this.leaseHeld = held;
    notify(this.settings.observer.leaseChanged, held);
  }
}
