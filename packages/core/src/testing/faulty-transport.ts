import { sleep } from '../common/backoff.js';
import { TransportError } from '../errors.js';
import type {
  Delivery,
  DeliveryHandler,
  OutgoingMessage,
  SubscribeOptions,
  Subscription,
  Transport,
} from '../transport/contract.js';
import type { FaultKind, FaultOptions } from './faulty-transport-options.js';
import { FaultPlan } from './faulty-transport-options.js';

export { type FaultKind, type FaultOptions, seededRandom } from './faulty-transport-options.js';

/** Thrown at a crash point: the test's stand-in for the process dying there. */
export class SimulatedCrash extends Error {
  constructor(readonly point: string) {
    super(`simulated crash at '${point}'`);
    this.name = 'SimulatedCrash';
  }
}

/**
 * Wraps a transport and injects the faults an at-least-once broker may show, for exactly-once
 * property tests: duplicates, lost acks, delays that reorder keys (never one key), publishes that
 * fail after the broker accepted them, and crash points the handler side calls.
 */
export class FaultyTransport implements Transport {
  readonly kind: string;
  readonly capabilities: Transport['capabilities'];
  private readonly plan: FaultPlan;

  constructor(
    private readonly inner: Transport,
    options: FaultOptions,
  ) {
    this.kind = `faulty-${inner.kind}`;
    this.capabilities = inner.capabilities;
    this.plan = new FaultPlan(options);
  }

  /** How many faults of each kind were injected so far. */
  get stats(): Readonly<Record<FaultKind, number>> {
    return { ...this.plan.stats };
  }

  async publish(batch: readonly OutgoingMessage[]): Promise<void> {
    const batchId = `publish:${batch.map((message) => message.envelope.id).join(',')}`;
    if (batch.length > 0 && this.plan.strikes('publishFailsBeforeAccept', batchId)) {
      throw new TransportError('faulty transport: the publish never reached the broker');
    }
    await this.inner.publish(batch);
    if (batch.length > 0 && this.plan.strikes('publishFailsAfterAccept', batchId)) {
      throw new TransportError('faulty transport: the broker accepted the batch but its answer was lost');
    }
  }

  subscribe(options: SubscribeOptions, handler: DeliveryHandler): Promise<Subscription> {
    return this.inner.subscribe(options, (delivery) => this.deliver(delivery, handler));
  }

  /** Call where a crash would hurt (before or after the handler's work): throws now and then. */
  crashPoint(point: string, messageId: string): void {
    if (this.plan.strikes('crash', messageId)) throw new SimulatedCrash(point);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  private async deliver(delivery: Delivery, handler: DeliveryHandler): Promise<void> {
    const { id } = delivery.envelope;
    if (this.plan.strikes('delayDelivery', id)) await sleep(this.plan.delayMs());
    let ackDropped = false;
    await handler({
      envelope: delivery.envelope,
      topic: delivery.topic,
      attempt: delivery.attempt,
      ack: async () => {
        if (!this.plan.strikes('dropAck', id)) return delivery.ack();
        ackDropped = true;
        return true;
      },
      nack: (delayMs, reason) => delivery.nack(delayMs, reason),
      extend: () => delivery.extend(),
    });
    if (ackDropped || this.plan.strikes('dropAck', id)) {
      await delivery.nack(0, 'faulty transport: ack lost');
      return;
    }
    if (this.plan.strikes('duplicateDelivery', id)) await handler(duplicateOf(delivery));
  }
}

/** The same message handed over again; settling it has no further effect on the broker. */
function duplicateOf(delivery: Delivery): Delivery {
  return {
    envelope: delivery.envelope,
    topic: delivery.topic,
    attempt: delivery.attempt + 1,
    ack: async () => true,
    nack: async () => true,
    extend: () => delivery.extend(),
  };
}

export function createFaultyTransport(inner: Transport, options: FaultOptions): FaultyTransport {
  return new FaultyTransport(inner, options);
}
