import { type BackoffOptions, validateBackoff } from '../common/backoff.js';
import { uuidv7 } from '../envelope/ids.js';
import { EventloomError } from '../errors.js';
import { LeaseKeeper } from '../outbox/lease.js';
import { RoundLoop } from '../outbox/round-loop.js';
import type { EventStore } from '../store/contract.js';
import { requirePositive, requireText } from '../store/validate.js';
import { catchUpBatch, loadProjectionCheckpoint, resetProjection } from './catch-up.js';
import { type AnyProjection, checkpointNameOf, validateProjection } from './projection.js';

export interface AsyncProjectionOptions {
  readonly batchSize?: number;
  /** Fallback poll; commits in this process that wrote outbox rows wake it at once. */
  readonly pollIntervalMs?: number;
  readonly leaseTtlMs?: number;
  readonly owner?: string;
  readonly retryBackoff?: BackoffOptions;
  readonly failed?: (error: unknown, attempt: number) => void;
}

const DEFAULTS = {
  batchSize: 500,
  pollIntervalMs: 1_000,
  leaseTtlMs: 10_000,
  retryBackoff: { initialMs: 50, maxMs: 10_000, multiplier: 2 },
} as const;

/**
 * Follows the global log for one projection: batches after its checkpoint, each applied and
 * checkpointed in one transaction. One runner per projection is active (a store lease).
 */
export class AsyncProjection {
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly lease: LeaseKeeper;
  private readonly loop: RoundLoop;
  private serial: Promise<unknown> = Promise.resolve();
  private checkpoint: number | undefined;

  constructor(
    private readonly store: EventStore,
    readonly target: AnyProjection,
    options: AsyncProjectionOptions = {},
  ) {
    validateProjection(target);
    this.batchSize = options.batchSize ?? DEFAULTS.batchSize;
    this.pollIntervalMs = options.pollIntervalMs ?? DEFAULTS.pollIntervalMs;
    const leaseTtlMs = options.leaseTtlMs ?? DEFAULTS.leaseTtlMs;
    const owner = options.owner ?? `projection-${uuidv7()}`;
    requirePositive(this.batchSize, 'asyncProjection.batchSize');
    requirePositive(this.pollIntervalMs, 'asyncProjection.pollIntervalMs');
    requirePositive(leaseTtlMs, 'asyncProjection.leaseTtlMs');
    requireText(owner, 'asyncProjection.owner');
    const retryBackoff = validateBackoff(
      options.retryBackoff ?? DEFAULTS.retryBackoff,
      'asyncProjection.retryBackoff',
    );
    this.lease = new LeaseKeeper(store, checkpointNameOf(target), owner, leaseTtlMs);
    this.loop = new RoundLoop({
      store,
      round: () => this.exclusive(() => this.round()),
      retryBackoff,
      failed: options.failed,
      stopped: { code: 'projection-stopped', message: 'cannot restart' },
      windDown: () => this.exclusive(() => this.lease.release()),
    });
  }

  start(): void {
    this.loop.start();
  }

  /** Finishes the batch in progress and gives up the lease. */
  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** Applies everything committed so far; returns the checkpoint reached. */
  catchUp(): Promise<number> {
    return this.exclusive(async () => {
      let more = true;
      while (more) more = await this.step();
      return this.checkpoint ?? 0;
    });
  }

  /** Empties the read model and replays the log from the start, in turn with the running loop. */
  rebuild(): Promise<number> {
    return this.exclusive(async () => {
      await this.requireLease();
      await resetProjection(this.store, this.target);
      this.checkpoint = 0;
    }).then(() => this.catchUp());
  }

  private async round(): Promise<number> {
    if (!(await this.lease.hold())) return Math.min(this.pollIntervalMs, this.lease.nextAttemptInMs());
    return (await this.step()) ? 0 : this.pollIntervalMs;
  }

  private async step(): Promise<boolean> {
    await this.requireLease();
    this.checkpoint ??= await loadProjectionCheckpoint(this.store, this.target);
    const step = await catchUpBatch(this.store, this.target, this.checkpoint, this.batchSize);
    this.checkpoint = step.checkpoint;
    return step.more;
  }

  private async requireLease(): Promise<void> {
    if (await this.lease.hold(true)) return;
    throw new EventloomError(
      'projection-lease-held',
      `another runner holds projection '${this.target.name}'`,
    );
  }

  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const result = this.serial.then(task);
    this.serial = result.catch(() => undefined);
    return result;
  }
}
