import { afterEach } from 'vitest';
import type { EnvelopeInit } from '../envelope/create.js';
import { createEnvelope } from '../envelope/create.js';
import type { Envelope, MessageContext } from '../envelope/envelope.js';
import { TransportError } from '../errors.js';
import type {
  Delivery,
  DeliveryHandler,
  OutgoingMessage,
  SubscribeOptions,
  Subscription,
  Transport,
} from '../transport/contract.js';
import { waitFor } from './wait.js';

/** What a transport package implements to run the shared transport conformance suite. */
export interface TransportHarness {
  /** A new client of the broker under test, as a separate process would open one. */
  create(): Promise<Transport>;
  /** Puts raw headers and body on `topic`, bypassing the codec (undecodable bytes). */
  injectRaw(topic: string, message: RawMessage): Promise<void>;
  /** Attribute header prefix of the transport's CloudEvents binding (`ce_`, `ce-`, …). */
  readonly headerPrefix: string;
  /** A transport pointed at an endpoint nothing answers on, and the publish timeout it was given. */
  unreachable(): Promise<{ transport: Transport; publishTimeoutMs: number }>;
  /** Restarts the broker; its durable state survives. Real brokers provide it. */
  restartBroker?(): Promise<void>;
  /** A topic name no earlier test or run has used. */
  uniqueTopic(label: string): string;
  /** A group name no earlier test or run has used; derived from `uniqueTopic` by default. */
  uniqueGroup?(label: string): string;
  /** An ack timeout the broker honours that is short enough for tests; 1000 ms by default. */
  readonly shortAckTimeoutMs?: number;
  /** Multiplies every deadline, for slow brokers; 1 by default. */
  readonly timeoutScale?: number;
  /**
   * Fraction of the message counts of the load tests (2, 9, 11), for emulators whose cost grows
   * with queue depth (moto); 1 by default. The tests keep their shape at any volume.
   */
  readonly volume?: number;
}

export interface RawMessage {
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
}

/** A handled delivery as a test saw it. */
export interface Seen {
  readonly envelope: Envelope;
  readonly topic: string;
  readonly attempt: number;
  readonly member: number;
}

/** Per-test helpers: transports closed after each test, unique names, scaled deadlines. */
export class ConformanceKit {
  private readonly opened: Transport[] = [];
  readonly scale: number;
  readonly ackTimeoutMs: number;

  constructor(readonly harness: TransportHarness) {
    this.scale = harness.timeoutScale ?? 1;
    this.ackTimeoutMs = harness.shortAckTimeoutMs ?? 1_000;
  }

  /** Registers the after-each cleanup; call once inside the suite's describe. */
  closeAfterEach(): void {
    afterEach(async () => {
      await Promise.allSettled(this.opened.splice(0).map((transport) => transport.close()));
    });
  }

  async transport(): Promise<Transport> {
    const transport = await this.harness.create();
    this.opened.push(transport);
    return transport;
  }

  topic(label: string): string {
    return this.harness.uniqueTopic(label);
  }

  group(label: string): string {
    return this.harness.uniqueGroup?.(label) ?? `group-${this.harness.uniqueTopic(label)}`;
  }

  /** `n` messages at the harness's volume, never fewer than 10. */
  count(n: number): number {
    return Math.max(10, Math.round(n * (this.harness.volume ?? 1)));
  }

  /** A test's own time limit: `ms` scaled, plus room for the broker's ack timeouts. */
  testTimeout(ms: number): number {
    return ms * this.scale + 10 * this.ackTimeoutMs;
  }

  waitFor(predicate: () => boolean, describe: () => string, timeoutMs = 20_000): Promise<void> {
    return waitFor(predicate, { timeoutMs: timeoutMs * this.scale }, describe);
  }
}

let sequence = 0;

/** A test message; `n` is in its data so tests can tell messages apart and order them. */
export function aMessage(
  init: Partial<EnvelopeInit> & { n?: number } = {},
  context?: MessageContext,
): Envelope {
  const { n = ++sequence, ...rest } = init;
  return createEnvelope({ type: 'conformance.happened', data: { n }, ...rest }, context);
}

/** A message using every attribute, extension and header an envelope can carry. */
export function aFullMessage(n: number, partitionkey: string): Envelope {
  return createEnvelope(
    {
      type: 'conformance.full',
      data: { n, text: 'ünïcødé ✓ "quoted" 100%', nested: { list: [1, 2.5, null, true], empty: {} } },
      source: 'conformance/suite',
      subject: `subject-${n}`,
      partitionkey,
      schemaversion: 3,
      headers: { 'x-conformance': `header ${n} with spaces, "quotes" & 50%`, 'x-plain': 'plain' },
    },
    {
      correlationid: `correlation-${n}`,
      causationid: `cause-${n}`,
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      tracestate: 'vendor=value',
      tenantid: 'tenant-7',
    },
  );
}

export function numberOf(envelope: Envelope): number {
  return (envelope.data as { n: number }).n;
}

/** Collects handled deliveries; `behave` decides per delivery (ack by resolving, throw, nack…). */
export class Collector {
  readonly seen: Seen[] = [];

  handler(member = 0, behave?: (delivery: Delivery) => Promise<void>): DeliveryHandler {
    return async (delivery) => {
      this.seen.push({
        envelope: delivery.envelope,
        topic: delivery.topic,
        attempt: delivery.attempt,
        member,
      });
      await behave?.(delivery);
    };
  }

  ids(): Set<string> {
    return new Set(this.seen.map((seen) => seen.envelope.id));
  }

  of(id: string): Seen[] {
    return this.seen.filter((seen) => seen.envelope.id === id);
  }
}

export function toTopic(topic: string, envelopes: readonly Envelope[]) {
  return envelopes.map((envelope) => ({ topic, envelope }));
}

/** Publishes in batches, retrying a batch the broker did not accept (typed TransportError only). */
export async function publishAll(
  transport: Transport,
  topic: string,
  envelopes: readonly Envelope[],
  batchSize = 50,
): Promise<void> {
  for (let start = 0; start < envelopes.length; start += batchSize) {
    await publishUntilAccepted(transport, toTopic(topic, envelopes.slice(start, start + batchSize)), 50);
  }
}

/** Publishes `batch`, again every `retryMs` while the broker refuses it (typed TransportError only). */
export async function publishUntilAccepted(
  transport: Transport,
  batch: readonly OutgoingMessage[],
  retryMs: number,
): Promise<void> {
  for (;;) {
    try {
      await transport.publish(batch);
      return;
    } catch (error) {
      if (!(error instanceof TransportError)) throw error;
      await delay(retryMs);
    }
  }
}

/**
 * Makes sure `group` exists before messages are published to it, for transports that cannot
 * replay messages published before a group existed (`replayFromStart: false`).
 */
export async function provisionGroup(
  transport: Transport,
  group: string,
  topics: readonly string[],
): Promise<void> {
  if (transport.capabilities.replayFromStart) return;
  await (await transport.subscribe({ group, topics, from: 'new' }, async () => {})).close();
}

export async function subscribeMany(
  transports: readonly Transport[],
  options: SubscribeOptions,
  handlerFor: (member: number) => DeliveryHandler,
): Promise<Subscription[]> {
  return Promise.all(transports.map((transport, member) => transport.subscribe(options, handlerFor(member))));
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A promise opened from outside: `await gate.opened` until `gate.open()`. */
export function gate(): { readonly opened: Promise<void>; open(): void } {
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open: () => open() };
}

export const FAST_RETRY = { initialMs: 5, maxMs: 50, multiplier: 2 } as const;
