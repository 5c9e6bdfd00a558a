import { EventloomError, InvalidInputError } from '../errors.js';
import { notify } from '../outbox/observer.js';
import { purgeInBatches } from '../outbox/purge.js';
import { Wakeup } from '../outbox/wakeup.js';
import type { InboxMaintenance } from '../store/contract.js';
import { requirePositive } from '../store/validate.js';

export interface InboxRetentionOptions {
  /**
   * How long a claim is kept. A redelivery after it is gone runs the handler again, so this
   * must outlast the longest redelivery of the transport (and the broker's own retention).
   */
  readonly retentionMs?: number;
  readonly intervalMs?: number;
  readonly batchSize?: number;
  /** Batches per run, so one run never holds the store for long. */
  readonly maxBatchesPerRun?: number;
  readonly clock?: () => Date;
  readonly failed?: (error: unknown) => void;
  readonly purged?: (count: number) => void;
}

export const INBOX_RETENTION_DEFAULTS = {
  retentionMs: 7 * 24 * 60 * 60 * 1000,
  intervalMs: 60_000,
  batchSize: 1_000,
  maxBatchesPerRun: 10,
} as const;

/** Deletes old inbox claims in bounded batches on its own timer, off the path of any message. */
export class InboxRetention {
  readonly retentionMs: number;
  private readonly intervalMs: number;
  private readonly batchSize: number;
  private readonly maxBatchesPerRun: number;
  private readonly clock: () => Date;
  private readonly wakeup = new Wakeup();
  private readonly stopSignal = new AbortController();
  private loop: Promise<void> | undefined;

  constructor(
    private readonly store: InboxMaintenance,
    private readonly options: InboxRetentionOptions = {},
  ) {
    this.retentionMs = options.retentionMs ?? INBOX_RETENTION_DEFAULTS.retentionMs;
    this.intervalMs = options.intervalMs ?? INBOX_RETENTION_DEFAULTS.intervalMs;
    this.batchSize = options.batchSize ?? INBOX_RETENTION_DEFAULTS.batchSize;
    this.maxBatchesPerRun = options.maxBatchesPerRun ?? INBOX_RETENTION_DEFAULTS.maxBatchesPerRun;
    this.clock = options.clock ?? (() => new Date());
    requirePositive(this.retentionMs, 'inbox.retentionMs');
    requirePositive(this.intervalMs, 'inbox.intervalMs');
    requirePositive(this.batchSize, 'inbox.batchSize');
    requirePositive(this.maxBatchesPerRun, 'inbox.maxBatchesPerRun');
  }

  /** Fails, naming the field, when claims could be gone before the last redelivery arrives. */
  requireLongerThan(redeliveryWindowMs: number, how: string): void {
    if (this.retentionMs > redeliveryWindowMs) return;
    throw new InvalidInputError(
      'inbox.retentionMs',
      `${this.retentionMs} ms does not outlast the longest redelivery, ${redeliveryWindowMs} ms (${how})`,
    );
  }

  start(): void {
    if (this.stopSignal.signal.aborted) throw new EventloomError('inbox-retention-stopped', 'cannot restart');
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopSignal.abort();
    this.wakeup.notify();
    await this.loop;
  }

  /** One bounded run: deletes claims older than the retention; returns how many. */
  async purgeOnce(): Promise<number> {
    const before = new Date(this.clock().getTime() - this.retentionMs);
    const purged = await purgeInBatches(
      (limit) => this.store.purgeInbox(before, limit),
      this.batchSize,
      this.maxBatchesPerRun,
    );
    if (purged > 0) notify(this.options.purged, purged);
    return purged;
  }

  private async run(): Promise<void> {
    while (!this.stopSignal.signal.aborted) {
      await this.purgeOnce().catch((error) => notify(this.options.failed, error));
      await this.wakeup.wait(this.intervalMs, this.stopSignal.signal);
    }
  }
}
