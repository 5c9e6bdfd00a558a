import { runThrough } from '../common/middleware.js';
import { EventloomError, InvalidInputError } from '../errors.js';
import type { EventStore } from '../store/contract.js';
import { requirePositive } from '../store/validate.js';
import type { Delivery, SubscribeOptions, Subscription, Transport } from '../transport/contract.js';
import { type ResolvedSubscribeOptions, resolveSubscribeOptions } from '../transport/subscription/options.js';
import { deadLetterListener, deliveryInfo } from './delivery-hooks.js';
import type { DeliveryMiddleware } from './handler.js';
import { InboxRetention, type InboxRetentionOptions } from './inbox-retention.js';
import { MessageProcessor, type MessageProcessorOptions } from './process.js';

export interface ConsumerOptions extends MessageProcessorOptions {
  readonly transport: Transport;
  /** The consumer group: members of one group share the messages, each group gets them all. */
  readonly group: string;
  /** Topics to read; the handlers' message types by default (as the default topic naming). */
  readonly topics?: readonly string[];
  readonly subscription?: Omit<SubscribeOptions, 'group' | 'topics'>;
  /** Claim cleanup for this store; `false` when another component runs it. */
  readonly inbox?: InboxRetentionOptions | false;
  /** How long `stop()` waits for handlers before aborting their signal (they roll back, unacked). */
  readonly stopTimeoutMs?: number;
  /** Wraps the processing of each delivery (tracing spans, logging), the first one outermost. */
  readonly deliveryMiddleware?: readonly DeliveryMiddleware[];
}

const DEFAULT_STOP_TIMEOUT_MS = 30_000;

/**
 * Runs handlers on a transport subscription: for each delivery, the inbox claim and the
 * handlers' effects commit in one transaction, and only then does the transport ack. Retries,
 * dead letters, bounded concurrency and per-key order come from the transport's subscription.
 */
export class ConsumerRuntime {
  private readonly processor: MessageProcessor;
  private readonly subscribeOptions: ResolvedSubscribeOptions;
  private readonly retention: InboxRetention | undefined;
  private readonly stopTimeoutMs: number;
  private readonly stopSignal = new AbortController();
  private subscribed: Promise<Subscription> | undefined;
  private stopped: Promise<void> | undefined;

  constructor(private readonly options: ConsumerOptions) {
    if (typeof options?.transport?.subscribe !== 'function') {
      throw new InvalidInputError('transport', 'must be a Transport');
    }
    this.processor = new MessageProcessor(options);
    this.subscribeOptions = resolveSubscribeOptions({
      ...options.subscription,
      ...deadLetterListener(options.subscription?.onDeadLetter, options.observer),
      group: options.group,
      topics: options.topics ?? this.processor.types,
    });
    this.retention = options.inbox === false ? undefined : new InboxRetention(options.store, options.inbox);
    this.retention?.requireLongerThan(...redeliveryWindow(this.subscribeOptions));
    this.stopTimeoutMs = options.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS;
    requirePositive(this.stopTimeoutMs, 'stopTimeoutMs');
  }

  get store(): EventStore {
    return this.options.store;
  }

  async start(): Promise<void> {
    if (this.stopped !== undefined)
      throw new EventloomError('consumer-stopped', 'a stopped consumer cannot restart');
    this.subscribed ??= this.options.transport.subscribe(
      this.subscribeOptions,
      (delivery) => this.deliver(delivery) as Promise<void>,
    );
    await this.subscribed;
    this.retention?.start();
  }

  /**
   * Takes no new messages, lets in-flight handlers commit (then ack) and leaves the rest to come
   * back. After `timeoutMs` the handlers' signal aborts: those that give up roll back, unacked.
   */
  stop(timeoutMs: number = this.stopTimeoutMs): Promise<void> {
    this.stopped ??= this.shutDown(timeoutMs);
    return this.stopped;
  }

  private async shutDown(timeoutMs: number): Promise<void> {
    const closing = this.subscribed?.then((subscription) => subscription.close());
    const timer = setTimeout(() => this.stopSignal.abort(), timeoutMs);
    try {
      await closing;
    } finally {
      clearTimeout(timer);
      this.stopSignal.abort();
      await this.retention?.stop();
    }
  }

  /**
   * Resolves after the commit, so the transport acks only what is committed; a throw nacks.
   * What it resolves with is not looked at.
   */
  private deliver(delivery: Delivery): Promise<unknown> {
    const { envelope, attempt } = delivery;
    const process = () => this.processor.process(envelope, { attempt, signal: this.stopSignal.signal });
    const { group, transport, deliveryMiddleware = [] } = this.options;
    if (deliveryMiddleware.length === 0) return process();
    return runThrough(deliveryMiddleware, deliveryInfo(delivery, group, transport.kind), async () => {
      await process();
    });
  }
}

/** The latest a transport redelivers a message after its first delivery, and why. */
function redeliveryWindow(options: ResolvedSubscribeOptions): [number, string] {
  const { maxDeliveries, ackTimeoutMs, retryBackoff } = options;
  return [
    maxDeliveries * (ackTimeoutMs + retryBackoff.maxMs),
    `maxDeliveries ${maxDeliveries} × (ackTimeoutMs ${ackTimeoutMs} + retryBackoff.maxMs ${retryBackoff.maxMs})`,
  ];
}
