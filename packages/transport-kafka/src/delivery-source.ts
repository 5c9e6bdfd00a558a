import type { DeliverySource, RawDelivery } from '@eventloom/core';
import type { GroupMember, Tenure } from './group-member.js';
import type { LedgerEntry } from './partition-ledger.js';
import type { Publisher } from './publisher.js';

/**
 * What the shared subscription engine pulls from: fetched messages handed out oldest first per
 * partition, never two of one key at once, round-robin over partitions. Kafka cannot nack one
 * message, so a nack gives it back to this member's ledger, to be handed out again here; a
 * message reaches another member only through a rebalance, from the committed offset.
 */
export class KafkaDeliverySource implements DeliverySource {
  private rotation = 0;

  constructor(
    private readonly member: GroupMember,
    private readonly publisher: Publisher,
    private readonly ackTimeoutMs: number,
  ) {}

  async receive(max: number, signal: AbortSignal): Promise<RawDelivery[]> {
    while (!signal.aborted) {
      const tenure = this.member.tenure;
      const { deliveries, wakeAt } =
        tenure === undefined ? { deliveries: [], wakeAt: undefined } : this.handOut(tenure, max);
      if (deliveries.length > 0) return deliveries;
      await this.member.changes.wait(signal, wakeAt === undefined ? undefined : wakeAt - Date.now());
    }
    return [];
  }

  publishRaw(topic: string, headers: Readonly<Record<string, string>>, body: Uint8Array): Promise<void> {
    return this.publisher.publishRaw(topic, headers, body);
  }

  close(): Promise<void> {
    return this.member.close();
  }

  private handOut(tenure: Tenure, max: number): { deliveries: RawDelivery[]; wakeAt: number | undefined } {
    const ledgers = tenure.epoch.partitions;
    const now = Date.now();
    const deliveries: RawDelivery[] = [];
    let wakeAt: number | undefined;
    const start = this.rotation++;
    for (let i = 0; i < ledgers.length && deliveries.length < max; i++) {
      const ledger = ledgers[(start + i) % ledgers.length];
      if (ledger === undefined) continue;
      const found = ledger.deliverable(max - deliveries.length, now);
      if (found.wakeAt !== undefined) wakeAt = Math.min(wakeAt ?? found.wakeAt, found.wakeAt);
      for (const entry of found.entries) {
        ledger.handOut(entry, now + this.ackTimeoutMs);
        tenure.epoch.out.add(entry);
        deliveries.push(this.delivery(tenure, entry));
      }
    }
    if (deliveries.length > 0) tenure.committer.request();
    return { deliveries, wakeAt };
  }

  private delivery(tenure: Tenure, entry: LedgerEntry): RawDelivery {
    return {
      topic: entry.ledger.topic,
      headers: entry.headers,
      body: entry.body,
      brokerAttempt: entry.deliveries,
      ack: () => this.ack(tenure, entry),
      nack: async (delayMs) => this.giveBack(tenure, entry, delayMs),
      extend: async () => {
        if (tenure.epoch.isLive && entry.state === 'out') entry.deadline = Date.now() + this.ackTimeoutMs;
      },
    };
  }

  /** True once a confirmed commit recorded the ack; false if the epoch ended first (it comes back). */
  private async ack(tenure: Tenure, entry: LedgerEntry): Promise<boolean> {
    if (!this.settle(tenure, entry)) return false;
    entry.ledger.ack(entry);
    tenure.committer.request();
    this.member.changes.notifyAll();
    return entry.ledger.whenRecorded(entry);
  }

  private giveBack(tenure: Tenure, entry: LedgerEntry, delayMs: number): boolean {
    if (!this.settle(tenure, entry)) return false;
    entry.ledger.giveBack(entry, Date.now() + delayMs);
    this.member.changes.notifyAll();
    return true;
  }

  /** Takes the entry off the epoch's out list; false when its epoch no longer takes acks. */
  private settle({ epoch }: Tenure, entry: LedgerEntry): boolean {
    const wasOut = epoch.out.delete(entry);
    epoch.changes.notifyAll();
    return wasOut && epoch.isLive && entry.state === 'out';
  }
}
