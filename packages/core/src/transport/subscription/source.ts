/**
 * What a broker adapter gives the subscription engine: raw deliveries pulled with credit, a way
 * to publish raw bytes (for dead letters), and leaving the group. Ordering, concurrency,
 * retries, poison handling and dead-lettering are the engine's job, written once for every broker.
 */
export interface DeliverySource {
  /**
   * Up to `max` deliveries for this member. Waits until at least one is available; resolves with
   * `[]` once `signal` aborts. Each returned delivery counts against the member's lease until
   * acked, nacked or released by `close`.
   */
  receive(max: number, signal: AbortSignal): Promise<RawDelivery[]>;
  /** Publishes raw headers and body to `topic`; resolves once the broker durably accepted it. */
  publishRaw(topic: string, headers: Readonly<Record<string, string>>, body: Uint8Array): Promise<void>;
  /** Leaves the group: every delivery not acked goes back to the group. Called once, last. */
  close(): Promise<void>;
}

/** One delivery as the broker handed it over, before decoding. */
export interface RawDelivery {
  readonly topic: string;
  /** Headers exactly as published; adapters strip headers the broker itself added. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
  /** How many times the broker has handed this message out, 1 the first time. */
  readonly brokerAttempt: number;
  /** Settles the message for the group; false when it no longer held the lease. */
  ack(): Promise<boolean>;
  /** Gives the message back for redelivery after `delayMs`; false where the broker cannot. */
  nack(delayMs: number): Promise<boolean>;
  /** Pushes the ack deadline a full ack timeout out. */
  extend(): Promise<void>;
}
