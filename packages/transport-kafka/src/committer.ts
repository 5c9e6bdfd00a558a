import { type BackoffOptions, type ErrorReporter, fullJitterDelay, sleep } from '@eventloom/core';
import type { AssignmentEpoch } from './assignment-epoch.js';
import type { CommitSnapshot } from './partition-ledger.js';

/** Sends one offset commit; true only once the broker confirmed it. */
export type SendCommit = (snapshots: readonly CommitSnapshot[]) => Promise<boolean>;

const RETRY: BackoffOptions = { initialMs: 50, maxMs: 1_000, multiplier: 2 };

/**
 * Commits an epoch's ledgers as acks arrive: at most one commit in flight, the next one carrying
 * every change made meanwhile (group commit), retried while the epoch lives. The epoch's last
 * commit, its farewell, is sent synchronously from the event that ends it, before kafkajs rejoins
 * the group: kafkajs takes the generation of a commit when the call is made, so that commit can
 * never land in a later generation, where the partition may belong to someone else.
 */
export class Committer {
  private running: Promise<void> | undefined;
  private wanted = false;
  private farewell: Promise<void> | undefined;

  constructor(
    private readonly epoch: AssignmentEpoch,
    private readonly send: SendCommit,
    private readonly report: ErrorReporter,
  ) {}

  request(): void {
    this.wanted = true;
    this.running ??= this.commitWhileWanted().finally(() => {
      this.running = undefined;
    });
  }

  /** Ends the epoch with a last commit; call it synchronously from whatever ends the epoch. */
  sayFarewell(): Promise<void> {
    this.farewell ??= this.commitLast();
    return this.farewell;
  }

  /** Ends the epoch without a commit (the member is no longer in the group). */
  abandon(): void {
    this.epoch.end();
  }

  private async commitLast(): Promise<void> {
    this.epoch.stopTaking();
    try {
      await this.commitOnce();
    } finally {
      this.epoch.end();
    }
  }

  private async commitWhileWanted(): Promise<void> {
    for (let failures = 0; this.wanted; ) {
      await nextMacrotask();
      if (!this.epoch.isLive) return;
      this.wanted = false;
      if (await this.commitOnce()) {
        failures = 0;
      } else {
        this.wanted = true;
        await sleep(fullJitterDelay(++failures, RETRY));
      }
    }
  }

  /** Snapshots and sends synchronously up to the network call, so the commit's generation is the current one. */
  private async commitOnce(): Promise<boolean> {
    const snapshots: CommitSnapshot[] = [];
    for (const ledger of this.epoch.partitions) {
      const snapshot = ledger.isDirty ? ledger.snapshot() : undefined;
      if (snapshot !== undefined) snapshots.push(snapshot);
    }
    if (snapshots.length === 0) return true;
    try {
      const confirmed = await this.send(snapshots);
      if (confirmed) for (const snapshot of snapshots) snapshot.ledger.confirm(snapshot);
      return confirmed;
    } catch (error) {
      this.report(error, `committing offsets of ${snapshots.length} partitions`);
      return false;
    } finally {
      this.epoch.changes.notifyAll();
    }
  }
}

/** Commits start from a fresh macrotask: never in the microtasks between kafkajs' sync and its join event. */
function nextMacrotask(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
