import type { Message } from '@aws-sdk/client-sqs';
import type { RawDelivery } from '@eventloom/core';
import { fromAttributes } from './binding.js';
import type { GroupQueue } from './queue.js';

/** An extend this soon after the last one gains little; the lease keeper calls every third of it. */
const RENEW_WHEN_REMAINING_BELOW = 0.75;

/**
 * This member's hold on one received message: its receipt handle until the visibility timeout
 * runs out. Past that, SQS may have handed the message to another member, so this member no
 * longer acks or nacks it (SQS itself would accept the stale handle and report nothing).
 */
export class Lease {
  private deadline: number;

  constructor(
    readonly receiptHandle: string,
    startedAt: number,
    private readonly visibilityMs: number,
  ) {
    this.deadline = startedAt + visibilityMs;
  }

  get held(): boolean {
    return Date.now() < this.deadline;
  }

  get wantsRenewal(): boolean {
    return this.deadline - Date.now() < this.visibilityMs * RENEW_WHEN_REMAINING_BELOW;
  }

  renewFrom(startedAt: number): void {
    if (this.held) this.deadline = startedAt + this.visibilityMs;
  }

  end(): void {
    this.deadline = 0;
  }
}

/** What a delivery asks of its queue. */
export type LeaseQueue = Pick<GroupQueue, 'delete' | 'changeVisibility'>;

export interface DeliveryContext {
  readonly queue: LeaseQueue;
  readonly requestedAt: number;
  readonly visibilitySeconds: number;
  /** The topic of a message without the `eventType` attribute (one not published by Eventloom). */
  readonly fallbackTopic: string;
}

/** A received SQS message as the subscription engine sees it. */
export function rawDelivery(message: Message, context: DeliveryContext): RawDelivery {
  const { queue, visibilitySeconds } = context;
  const lease = new Lease(message.ReceiptHandle ?? '', context.requestedAt, visibilitySeconds * 1_000);
  const { topic, headers } = fromAttributes(message.MessageAttributes);
  const settle = (send: (handle: string) => Promise<boolean>) => {
    if (!lease.held) return Promise.resolve(false);
    lease.end();
    return send(lease.receiptHandle);
  };
  return {
    topic: topic ?? context.fallbackTopic,
    headers,
    body: Buffer.from(message.Body ?? '', 'utf8'),
    brokerAttempt: Number(message.Attributes?.ApproximateReceiveCount) || 1,
    ack: () => settle((handle) => queue.delete(handle)),
    nack: (delayMs) => settle((handle) => queue.changeVisibility(handle, Math.ceil(delayMs / 1_000))),
    extend: async () => {
      if (!lease.held || !lease.wantsRenewal) return;
      const startedAt = Date.now();
      if (await queue.changeVisibility(lease.receiptHandle, visibilitySeconds)) lease.renewFrom(startedAt);
      else lease.end();
    },
  };
}
