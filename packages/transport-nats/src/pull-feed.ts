import { TransportError, withTimeout } from '@eventloom/core';
import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import { createInbox, nanos } from '@nats-io/transport-node';
import type { Reconnects } from './connection.js';

const HEARTBEAT = 100;
/** Statuses that end a pull request without a message: no messages, expired, limits. */
const REQUEST_ENDED = new Set([404, 408, 409]);
/** How long past its expiry a request may stay unanswered before it counts as lost (a server restart). */
const LOST_REQUEST_GRACE_MS = 2_000;
const DRAIN_TIMEOUT_MS = 2_000;

/** A message as it arrived, with its partition and when its ack wait last started. */
export interface Arrival {
  readonly msg: Msg;
  readonly partition: number;
  leaseFrom: number;
}

interface Partition {
  readonly nextSubject: string;
  readonly reply: string;
  subscription: Subscription | undefined;
  /** When the pull request now waiting on the server was sent. */
  requestedAt: number | undefined;
  /** This member holds the partition's message (handed out or waiting here) until it is settled. */
  held: boolean;
}

/**
 * Pulls from the partition consumers of a group. Each partition consumer has one message out at
 * a time, so this member asks each partition it holds nothing of for one message, and asks it
 * again once the one it got is settled (`settled`). Messages beyond what the engine takes wait
 * here with their ack wait extended; there is at most one per partition.
 */
export class PullFeed {
  private readonly inbox = createInbox();
  private readonly partitions: Partition[];
  private readonly stopListening: () => void;
  private readonly extending: NodeJS.Timeout;
  private readonly arrived: Arrival[] = [];
  private failure: TransportError | undefined;
  private wakeUp: (() => void) | undefined;
  private closed = false;

  constructor(
    private readonly nc: NatsConnection,
    nextSubjects: readonly string[],
    private readonly expiresMs: number,
    ackTimeoutMs: number,
    reconnects: Reconnects,
  ) {
    this.partitions = nextSubjects.map((nextSubject, index) => ({
      nextSubject,
      reply: `${this.inbox}.${index}`,
      subscription: undefined,
      requestedAt: undefined,
      held: false,
    }));
    for (const [index, partition] of this.partitions.entries()) {
      partition.subscription = nc.subscribe(partition.reply, {
        callback: (error, msg) => this.onMessage(index, error, msg),
      });
    }
    // A reconnect loses every waiting pull request on the server's side.
    this.stopListening = reconnects.listen(() => {
      for (const partition of this.partitions) partition.requestedAt = undefined;
      this.wake();
    });
    this.extending = setInterval(() => this.extendWaiting(), Math.max(1, Math.floor(ackTimeoutMs / 3)));
    this.extending.unref();
  }

  /** Up to `max` messages; waits for at least one, or returns `[]` once `signal` aborts. */
  async next(max: number, signal: AbortSignal): Promise<Arrival[]> {
    for (;;) {
      if (this.arrived.length > 0) return this.arrived.splice(0, max);
      if (signal.aborted || this.closed) return [];
      this.throwFailure();
      this.askFreePartitions();
      await this.change(signal, this.expiresMs + LOST_REQUEST_GRACE_MS);
      this.forgetLostRequests();
    }
  }

  /** The member no longer holds the partition's message (acked, given back, or its lease lost). */
  settled(partition: number): void {
    const state = this.partitions[partition];
    if (state === undefined) return;
    state.held = false;
    this.wake();
  }

  /**
   * Stops pulling and returns what arrived and was never handed out, for the caller to give back.
   * Draining the inboxes catches what the server sent before it learnt they were gone, which
   * would otherwise come back only after the ack wait.
   */
  async close(): Promise<Arrival[]> {
    this.closed = true;
    this.stopListening();
    clearInterval(this.extending);
    this.wake();
    await Promise.all(
      this.partitions.map(({ subscription }) =>
        subscription === undefined
          ? undefined
          : withTimeout(subscription.drain(), DRAIN_TIMEOUT_MS, 'draining a pull inbox').catch(() =>
              subscription.unsubscribe(),
            ),
      ),
    );
    return this.arrived.splice(0);
  }

  private askFreePartitions(): void {
    const request = JSON.stringify({ batch: 1, expires: nanos(this.expiresMs) });
    for (const partition of this.partitions) {
      if (partition.held || partition.requestedAt !== undefined) continue;
      partition.requestedAt = Date.now();
      this.nc.publish(partition.nextSubject, request, { reply: partition.reply });
    }
  }

  private forgetLostRequests(): void {
    const now = Date.now();
    for (const partition of this.partitions) {
      const askedAt = partition.requestedAt;
      if (askedAt !== undefined && now - askedAt > this.expiresMs + LOST_REQUEST_GRACE_MS) {
        partition.requestedAt = undefined;
      }
    }
  }

  private onMessage(index: number, error: Error | null, msg: Msg): void {
    const partition = this.partitions[index] as Partition;
    if (error !== null) {
      partition.requestedAt = undefined;
      this.fail(new TransportError(`pulling from '${partition.nextSubject}' failed: ${error.message}`));
    } else if (msg.reply !== undefined && msg.reply.length > 0) {
      partition.requestedAt = undefined;
      partition.held = true;
      this.arrived.push({ msg, partition: index, leaseFrom: Date.now() });
    } else {
      this.onStatus(partition, msg);
    }
    this.wake();
  }

  private onStatus(partition: Partition, msg: Msg): void {
    const code = msg.headers?.code ?? 0;
    if (code === HEARTBEAT) return;
    partition.requestedAt = undefined;
    if (!REQUEST_ENDED.has(code) || /deleted/iu.test(msg.headers?.description ?? '')) {
      const status = `${code} ${msg.headers?.description ?? ''}`.trim();
      this.fail(new TransportError(`pulling from '${partition.nextSubject}': the server answered ${status}`));
    }
  }

  /** Keeps the ack wait of messages waiting here from running out (the engine extends those it holds). */
  private extendWaiting(): void {
    if (this.closed) return;
    const now = Date.now();
    for (const arrival of this.arrived) {
      if (arrival.msg.reply === undefined) continue;
      this.nc.publish(arrival.msg.reply, '+WPI');
      arrival.leaseFrom = now;
    }
  }

  private fail(error: TransportError): void {
    this.failure = error;
  }

  /** Hands a failure to the engine once, which reports it and backs off before pulling again. */
  private throwFailure(): void {
    const failure = this.failure;
    this.failure = undefined;
    if (failure !== undefined) throw failure;
  }

  private change(signal: AbortSignal, timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        this.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      signal.addEventListener('abort', done, { once: true });
      this.wakeUp = done;
    });
  }

  private wake(): void {
    this.wakeUp?.();
  }
}
