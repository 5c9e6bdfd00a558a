import type { Envelope } from '../../envelope/envelope.js';
import type { RawDelivery } from './source.js';

export type ErrorReporter = (error: unknown, context: string) => void;

/**
 * A delivery this member holds, from receipt until it is settled with the broker exactly once:
 * acked, released back to the group, or handed to the dead-letter step (which acks it).
 */
export class HeldMessage {
  /** Deliveries so far: the broker's count plus retries done in place. */
  attempt: number;
  private settled = false;
  private settling: Promise<boolean> | undefined;

  constructor(
    readonly raw: RawDelivery,
    readonly envelope: Envelope | undefined,
    private readonly report: ErrorReporter,
  ) {
    this.attempt = raw.brokerAttempt;
  }

  get isSettled(): boolean {
    return this.settled;
  }

  get key(): string | undefined {
    return this.envelope?.partitionkey;
  }

  /** Acks once; false if already settled, the lease was lost, or the broker failed. */
  ack(): Promise<boolean> {
    return this.settle('ack', () => this.raw.ack());
  }

  /** Gives the message back to the group at once, unhandled. */
  release(): Promise<boolean> {
    return this.settle('release', () => this.raw.nack(0));
  }

  async extend(): Promise<void> {
    if (this.settled) return;
    try {
      await this.raw.extend();
    } catch (error) {
      this.report(error, `extending the lease of ${this.describe()}`);
    }
  }

  describe(): string {
    return `message '${this.envelope?.id ?? '(undecodable)'}' on '${this.raw.topic}'`;
  }

  /** The broker's answer to the ack or release under way (or done); undefined before either. */
  get settlement(): Promise<boolean> | undefined {
    return this.settling;
  }

  private settle(action: string, send: () => Promise<boolean>): Promise<boolean> {
    if (this.settled) return Promise.resolve(false);
    this.settled = true;
    this.settling = this.send(action, send);
    return this.settling;
  }

  private send(action: string, send: () => Promise<boolean>): Promise<boolean> {
    const failed = (error: unknown) => {
      this.report(error, `${action} of ${this.describe()}`);
      return false;
    };
    try {
      return send().then(undefined, failed);
    } catch (error) {
      return Promise.resolve(failed(error));
    }
  }
}
