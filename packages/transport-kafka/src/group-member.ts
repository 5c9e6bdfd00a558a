import { type ErrorReporter, Notifier, sleep, TransportError, withTimeout } from '@eventloom/core';
import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import { AssignmentEpoch, type ReadCommitted } from './assignment-epoch.js';
import { CommitConfirmations } from './commit-confirmations.js';
import { Committer } from './committer.js';
import type { KafkaConsumerOptions } from './options.js';
import type { CommitSnapshot } from './partition-ledger.js';

export interface MemberSettings {
  readonly group: string;
  readonly topics: readonly string[];
  readonly fromBeginning: boolean;
  readonly ackTimeoutMs: number;
  readonly joinTimeoutMs: number;
  readonly consumer: Required<KafkaConsumerOptions>;
  readonly report: ErrorReporter;
}

/** The epoch this member is in now, with the committer of its ledgers. */
export interface Tenure {
  readonly epoch: AssignmentEpoch;
  readonly committer: Committer;
}

const RESTART_DELAY_MS = 1_000;

/**
 * One kafkajs consumer in the group, fetching without autocommit into the ledgers of its current
 * epoch. A delivery out longer than the ack timeout means this member lost track of it: the member
 * commits what it has, leaves the group so its partitions move on (as a stuck Kafka consumer past
 * `max.poll.interval.ms` would), and joins again once its stuck handlers have returned.
 */
export class GroupMember {
  /** A batch came in, an epoch began or ended, a delivery was acked or given back. */
  readonly changes = new Notifier();
  private readonly consumer: Consumer;
  private readonly confirmations = new CommitConfirmations();
  private readonly closing = new AbortController();
  private readonly watchdog: NodeJS.Timeout;
  private current: Tenure | undefined;
  private epochs = 0;
  private rejoining: Promise<void> | undefined;

  constructor(
    kafka: Kafka,
    private readonly readCommitted: ReadCommitted,
    private readonly settings: MemberSettings,
  ) {
    const { consumer } = settings;
    this.consumer = kafka.consumer({
      groupId: settings.group,
      sessionTimeout: consumer.sessionTimeoutMs,
      rebalanceTimeout: consumer.rebalanceTimeoutMs,
      heartbeatInterval: consumer.heartbeatIntervalMs,
      maxWaitTimeInMs: consumer.fetchMaxWaitMs,
      allowAutoTopicCreation: false,
      retry: { initialRetryTime: 100, maxRetryTime: 2_000, retries: 10, restartOnFailure: async () => true },
    });
    this.listen();
    const every = Math.max(10, Math.min(1_000, Math.floor(settings.ackTimeoutMs / 4)));
    this.watchdog = setInterval(() => this.checkLeases(), every);
    this.watchdog.unref();
  }

  /** The live epoch, if the member is in the group now. */
  get tenure(): Tenure | undefined {
    return this.current?.epoch.isLive ? this.current : undefined;
  }

  /** Joins the group; resolves once the first assignment arrived. */
  async join(): Promise<void> {
    const { group, topics, fromBeginning, joinTimeoutMs } = this.settings;
    const joining = async () => {
      await this.consumer.connect();
      await this.consumer.subscribe({ topics: [...topics], fromBeginning });
      await this.run();
      const { signal } = this.closing;
      while (this.current === undefined && !signal.aborted) await this.changes.wait(signal);
    };
    try {
      await withTimeout(joining(), joinTimeoutMs, `joining group '${group}'`);
    } catch (error) {
      await this.close();
      if (error instanceof TransportError) throw error;
      throw new TransportError(`joining group '${group}' failed: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  /** Says farewell with a last commit and leaves the group; unacked messages go to the next owner. */
  async close(): Promise<void> {
    this.closing.abort();
    clearInterval(this.watchdog);
    await this.endEpoch('farewell');
    await this.rejoining;
    await this.consumer
      .disconnect()
      .catch((error: unknown) => this.settings.report(error, 'leaving the group'));
  }

  private run(): Promise<void> {
    return this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.settings.consumer.partitionsConsumedConcurrently,
      eachBatch: (payload) => this.takeIn(payload),
    });
  }

  private listen(): void {
    const { GROUP_JOIN, REBALANCING, CRASH, STOP, COMMIT_OFFSETS } = this.consumer.events;
    this.consumer.on(GROUP_JOIN, () => this.beginEpoch());
    this.consumer.on(REBALANCING, () => void this.endEpoch('farewell'));
    this.consumer.on(STOP, () => void this.endEpoch('abandon'));
    this.consumer.on(COMMIT_OFFSETS, (event) => this.confirmations.record(event.payload.topics));
    this.consumer.on(CRASH, (event) => {
      void this.endEpoch('abandon');
      this.settings.report(event.payload.error, `consumer of group '${this.settings.group}' crashed`);
      if (!event.payload.restart) void this.restartAfterCrash();
    });
  }

  private beginEpoch(): void {
    // A rejoin kafkajs made on its own, without a rebalance event: no farewell is safe any more.
    void this.endEpoch('abandon');
    const epoch = new AssignmentEpoch(
      ++this.epochs,
      this.readCommitted,
      this.settings.consumer.maxUnackedPerPartition,
    );
    const committer = new Committer(epoch, (snapshots) => this.sendCommit(snapshots), this.settings.report);
    this.current = { epoch, committer };
    this.changes.notifyAll();
  }

  /** Must run synchronously from the kafkajs event, before kafkajs goes on to rejoin. */
  private endEpoch(how: 'farewell' | 'abandon'): Promise<void> {
    const ending = this.current;
    this.current = undefined;
    this.changes.notifyAll();
    if (ending === undefined) return Promise.resolve();
    if (how === 'abandon') {
      ending.committer.abandon();
      return Promise.resolve();
    }
    return ending.committer.sayFarewell();
  }

  private async takeIn({ batch, resolveOffset, pause, isStale }: EachBatchPayload): Promise<void> {
    const tenure = this.tenure;
    if (tenure === undefined) return;
    const ledger = await tenure.epoch.ledgerFor(batch.topic, batch.partition);
    for (const message of batch.messages) {
      if (!tenure.epoch.isLive || isStale()) return;
      ledger.admit(message);
      resolveOffset(message.offset);
    }
    if (ledger.isFull) ledger.pauseFetching(pause());
    this.changes.notifyAll();
  }

  private async sendCommit(snapshots: readonly CommitSnapshot[]): Promise<boolean> {
    const offsets = snapshots.map(({ ledger, offset, metadata }) => ({
      topic: ledger.topic,
      partition: ledger.partition,
      offset,
      metadata,
    }));
    await this.consumer.commitOffsets(offsets);
    return this.confirmations.confirmed(offsets);
  }

  private checkLeases(): void {
    const tenure = this.tenure;
    if (tenure === undefined || this.rejoining !== undefined) return;
    const now = Date.now();
    for (const entry of tenure.epoch.out) {
      if (entry.deadline >= now) continue;
      this.rejoining = this.leaveAndRejoin(tenure).finally(() => {
        this.rejoining = undefined;
      });
      return;
    }
  }

  private async leaveAndRejoin(tenure: Tenure): Promise<void> {
    const { group, ackTimeoutMs, report } = this.settings;
    report(
      new Error(`a delivery was neither acked nor extended within ${ackTimeoutMs} ms`),
      `group '${group}': leaving the group so that its partitions move on`,
    );
    await this.endEpoch('farewell');
    await this.consumer.stop();
    const { signal } = this.closing;
    while (tenure.epoch.out.size > 0 && !signal.aborted) await tenure.epoch.changes.wait(signal);
    if (!signal.aborted) await this.run();
  }

  private async restartAfterCrash(): Promise<void> {
    await sleep(RESTART_DELAY_MS, this.closing.signal);
    if (this.closing.signal.aborted) return;
    try {
      await this.consumer.connect();
      await this.run();
    } catch (error) {
      this.settings.report(error, `restarting the consumer of group '${this.settings.group}'`);
      void this.restartAfterCrash();
    }
  }
}
