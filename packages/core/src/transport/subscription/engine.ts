import type { BackoffOptions } from '../../common/backoff.js';
import { fullJitterDelay, sleep } from '../../common/backoff.js';
import type { BindingOptions } from '../binding.js';
import type { DeliveryHandler, Subscription } from '../contract.js';
import type { DeadLetterPolicy } from './dead-letter.js';
import { deadLetter } from './dead-letter.js';
import type { ErrorReporter } from './held-message.js';
import { HeldMessage } from './held-message.js';
import { InFlightLimit } from './in-flight-limit.js';
import { KeySequencer } from './key-sequencer.js';
import { LeaseKeeper } from './lease-keeper.js';
import type { ResolvedSubscribeOptions } from './options.js';
import { decodeDelivery } from './poison.js';
import type { HandlingOutcome, RetryPolicy } from './retry.js';
import { handleWithRetries } from './retry.js';
import type { DeliverySource, RawDelivery } from './source.js';

export interface SubscriptionEngineConfig {
  readonly source: DeliverySource;
  readonly options: ResolvedSubscribeOptions;
  readonly binding: BindingOptions;
  readonly handler: DeliveryHandler;
  /** Jitter source for retry delays; seeded in tests. */
  readonly random?: () => number;
  /** Background failures (receive, ack, dead-letter publish) that the engine recovers from. */
  readonly onError?: ErrorReporter;
  /** How long `close` waits for running handlers before leaving them unacked. */
  readonly closeTimeoutMs?: number;
}

const RECEIVE_BACKOFF: BackoffOptions = { initialMs: 100, maxMs: 5_000, multiplier: 2 };
const DEFAULT_CLOSE_TIMEOUT_MS = 30_000;

export const reportToConsole: ErrorReporter = (error, context) => {
  console.warn(`[eventloom] ${context}:`, error);
};

/**
 * The consumer side every transport shares: pulls raw deliveries from the adapter's source with
 * credit (never more than `maxInFlight` held), decodes them (poison is dead-lettered at once),
 * runs one message per partition key at a time, retries in place, dead-letters after
 * `maxDeliveries`, and on close drains handlers and gives everything unacked back.
 */
export function startSubscription(config: SubscriptionEngineConfig): Subscription {
  const engine = new SubscriptionEngine(config);
  return { close: () => engine.close() };
}

class SubscriptionEngine {
  private readonly stopping = new AbortController();
  private readonly limit: InFlightLimit;
  private readonly keeper: LeaseKeeper;
  private readonly sequencer = new KeySequencer<HeldMessage>((message) => this.process(message));
  /** Every message held and not yet settled, in arrival order. */
  private readonly held = new Set<HeldMessage>();
  private readonly poisonWork = new Set<Promise<void>>();
  /** Acks and releases the broker has not answered yet. */
  private readonly settlements = new Set<Promise<boolean>>();
  private readonly report: ErrorReporter;
  private readonly random: () => number;
  private readonly retryPolicy: RetryPolicy;
  private readonly deadLetterPolicy: DeadLetterPolicy;
  private readonly pumping: Promise<void>;
  private closing: Promise<void> | undefined;

  constructor(private readonly config: SubscriptionEngineConfig) {
    const { options } = config;
    const signal = this.stopping.signal;
    this.report = config.onError ?? reportToConsole;
    this.random = config.random ?? Math.random;
    this.limit = new InFlightLimit(options.maxInFlight);
    this.keeper = new LeaseKeeper(options.ackTimeoutMs / 3);
    const { random, keeper } = this;
    const backoff = options.retryBackoff;
    this.retryPolicy = {
      handler: config.handler,
      maxDeliveries: options.maxDeliveries,
      backoff,
      random,
      keeper,
      signal,
    };
    this.deadLetterPolicy = {
      source: config.source,
      topic: options.deadLetterTopic,
      group: options.group,
      binding: config.binding,
      backoff,
      random,
      signal,
      report: this.report,
      onDeadLetter: options.onDeadLetter,
    };
    this.pumping = this.pump();
  }

  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async pump(): Promise<void> {
    const { signal } = this.stopping;
    for (let failures = 0; !signal.aborted; ) {
      await this.limit.whenAvailable(signal);
      if (signal.aborted) return;
      try {
        const batch = await this.config.source.receive(this.limit.available, signal);
        failures = 0;
        for (const raw of batch) this.accept(raw);
      } catch (error) {
        if (signal.aborted) return;
        this.report(error, `receiving for group '${this.config.options.group}'`);
        await sleep(fullJitterDelay(++failures, RECEIVE_BACKOFF, this.random), signal);
      }
    }
  }

  private accept(raw: RawDelivery): void {
    this.limit.take();
    const decoded = decodeDelivery(raw, this.config.binding);
    const message = new HeldMessage(raw, 'envelope' in decoded ? decoded.envelope : undefined, this.report);
    this.held.add(message);
    if ('problem' in decoded) {
      if (this.stopping.signal.aborted) return;
      const work = this.deadLetter(message, `undecodable: ${decoded.problem}`);
      this.poisonWork.add(work);
      void work.finally(() => this.poisonWork.delete(work));
      return;
    }
    this.keeper.park(message);
    this.sequencer.push(decoded.envelope.partitionkey, message);
  }

  /** Never rejects (the sequencer's rule); one promise per step, as it runs for every message. */
  private process(message: HeldMessage): Promise<void> {
    this.keeper.unpark(message);
    const { maxDeliveries } = this.config.options;
    if (message.attempt > maxDeliveries) {
      return this.deadLetter(
        message,
        `delivered ${message.attempt} times, over maxDeliveries ${maxDeliveries}`,
      );
    }
    let handling: Promise<HandlingOutcome>;
    try {
      handling = handleWithRetries(message, this.retryPolicy);
    } catch (error) {
      handling = Promise.reject(error);
    }
    return handling.then(
      (outcome) => this.after(message, outcome),
      (error: unknown) => this.after(message, this.abandoned(message, error)),
    );
  }

  private after(message: HeldMessage, outcome: HandlingOutcome): Promise<void> | undefined {
    if (outcome.kind === 'dead-letter') return this.deadLetter(message, outcome.reason);
    this.forgetIfSettled(message);
    return undefined;
  }

  private abandoned(message: HeldMessage, error: unknown): HandlingOutcome {
    this.report(error, `handling ${message.describe()}`);
    return { kind: 'abandoned' };
  }

  private async deadLetter(message: HeldMessage, reason: string): Promise<void> {
    try {
      await deadLetter(message, reason, this.deadLetterPolicy);
    } catch (error) {
      this.report(error, `dead-lettering ${message.describe()}`);
    }
    this.forgetIfSettled(message);
  }

  /** Frees the message's credit once the broker has it back; unsettled ones are released on close. */
  private forgetIfSettled(message: HeldMessage): void {
    if (!message.isSettled) return;
    this.held.delete(message);
    this.limit.release();
    const settlement = message.settlement;
    if (settlement === undefined) return;
    this.settlements.add(settlement);
    const settled = () => {
      this.settlements.delete(settlement);
    };
    settlement.then(settled, settled);
  }

  private async shutDown(): Promise<void> {
    this.stopping.abort();
    this.sequencer.stop();
    await this.pumping;
    const timeoutMs = this.config.closeTimeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS;
    const drained = await settlesWithin(Promise.all([this.sequencer.idle(), ...this.poisonWork]), timeoutMs);
    if (!drained) {
      this.report(new Error(`handlers still running after ${timeoutMs} ms`), 'closing; leaving them unacked');
    }
    await settlesWithin(Promise.all(this.settlements), timeoutMs);
    this.keeper.stop();
    for (const message of this.held) await message.release();
    this.held.clear();
    await this.config.source.close();
  }
}

async function settlesWithin(work: Promise<unknown>, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([work.then(() => true as const), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
