import type { RawDelivery } from '@eventloom/core';
import type { Msg, NatsConnection } from '@nats-io/transport-node';
import { nanos } from '@nats-io/transport-node';
import { fromNatsHeaders } from './binding.js';
import { transportErrorOf } from './errors.js';
import type { SubjectNaming } from './names.js';

export interface DeliveryTerms {
  readonly nc: NatsConnection;
  readonly naming: SubjectNaming;
  /** The consumer's ack wait. */
  readonly ackTimeoutMs: number;
  /** How long an ack or nak waits for the server's confirmation. */
  readonly requestTimeoutMs: number;
}

/**
 * One JetStream delivery. The server takes an ack from whoever sends it, even after it handed the
 * message to another member, so the lease is tracked here: once the ack wait has (nearly) passed
 * without an extension, ack and nack send nothing and answer false, and the message comes back.
 */
export class NatsDelivery implements RawDelivery {
  readonly topic: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
  readonly brokerAttempt: number;
  private readonly reply: string;
  private leaseEnds: number;

  /**
   * `leaseFrom` is when the server's ack wait last started (arrival, or the last extension while
   * the message waited to be handed out); `onSettled` runs at the first ack or nack.
   */
  constructor(
    msg: Msg,
    private readonly terms: DeliveryTerms,
    leaseFrom: number = Date.now(),
    private readonly onSettled: () => void = () => {},
  ) {
    this.topic = terms.naming.topicOf(msg.subject);
    this.headers = fromNatsHeaders(msg.headers);
    this.body = msg.data;
    this.reply = msg.reply ?? '';
    this.brokerAttempt = deliveryCount(this.reply);
    this.leaseEnds = this.renewedLease(leaseFrom);
  }

  /**
   * Sent without waiting for the server's confirmation, as JetStream clients do: the connection
   * delivers it in order, `close` flushes it, and if the connection drops first the message comes
   * back and the inbox drops the copy.
   */
  async ack(): Promise<boolean> {
    try {
      if (!this.takeLease()) return false;
      this.terms.nc.publish(this.reply, '+ACK');
      return true;
    } catch (error) {
      throw transportErrorOf(error, `ack of a message on '${this.topic}'`, this.terms.requestTimeoutMs);
    } finally {
      this.onSettled();
    }
  }

  /** Confirmed by the server, so a nak is applied before whatever this member does next. */
  async nack(delayMs: number): Promise<boolean> {
    if (!this.takeLease()) {
      this.onSettled();
      return false;
    }
    const body = delayMs > 0 ? `-NAK ${JSON.stringify({ delay: nanos(delayMs) })}` : '-NAK';
    const { nc, requestTimeoutMs } = this.terms;
    try {
      await nc.request(this.reply, body, { timeout: requestTimeoutMs });
    } catch (error) {
      throw transportErrorOf(error, `nak of a message on '${this.topic}'`, requestTimeoutMs);
    } finally {
      this.onSettled();
    }
    return true;
  }

  async extend(): Promise<void> {
    if (!this.holdsLease()) return;
    this.terms.nc.publish(this.reply, '+WPI');
    this.leaseEnds = this.renewedLease(Date.now());
  }

  /** Ends the lease for a settlement; false when it had already ended (the server may have handed the message on). */
  private takeLease(): boolean {
    if (!this.holdsLease()) return false;
    this.leaseEnds = 0;
    return true;
  }

  private holdsLease(): boolean {
    return Date.now() < this.leaseEnds;
  }

  /** Ends a little before the server's ack wait, whose clock started when it sent the message. */
  private renewedLease(from: number): number {
    const { ackTimeoutMs } = this.terms;
    return from + ackTimeoutMs - Math.min(1_000, Math.floor(ackTimeoutMs / 10));
  }
}

/**
 * Deliveries so far, from the `$JS.ACK.<stream>.<consumer>.<delivered>.…` reply subject (or
 * `$JS.ACK.<domain>.<account hash>.<stream>.<consumer>.<delivered>.…` in its newer form).
 */
export function deliveryCount(reply: string): number {
  const tokens = reply.split('.');
  const count = Number(tokens[tokens.length === 9 ? 4 : 6]);
  return Number.isSafeInteger(count) && count >= 1 ? count : 1;
}
