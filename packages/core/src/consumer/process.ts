import { type BackoffOptions, fullJitterDelay, sleep, validateBackoff } from '../common/backoff.js';
import { runThrough } from '../common/middleware.js';
import { notify } from '../common/notify.js';
import { CommandExecutor } from '../domain/execute.js';
import type { Envelope } from '../envelope/envelope.js';
import { ConcurrencyError } from '../errors.js';
import { enqueueAppendedEvents } from '../outbox/enqueue-hook.js';
import type { EventStore, UnitOfWork } from '../store/contract.js';
import { requireWholeNumber } from '../store/validate.js';
import { createHandlerContext } from './context.js';
import type { HandlerContext, HandlerMiddleware, MessageHandler } from './handler.js';
import type { ConsumerObserver } from './observer.js';
import { type AnyMessageHandler, HandlerRegistry } from './registry.js';

export interface MessageProcessorOptions {
  readonly store: EventStore;
  readonly handlers: readonly AnyMessageHandler[];
  /** Runs `context.execute`; by default one whose appended events go to the outbox. */
  readonly executor?: CommandExecutor;
  readonly clock?: () => Date;
  /** Immediate re-runs of a unit of work that hit a version conflict, before the delivery fails. */
  readonly maxConflictRetries?: number;
  readonly conflictBackoff?: BackoffOptions;
  readonly middleware?: readonly HandlerMiddleware[];
  readonly observer?: ConsumerObserver;
}

export interface ProcessOutcome {
  /** Consumers whose effects committed, with how long their handler ran. */
  readonly handled: readonly { readonly consumer: string; readonly durationMs: number }[];
  /** Consumers that had already claimed the message: their handler did not run. */
  readonly duplicates: readonly string[];
}

export interface ProcessOptions {
  readonly attempt?: number;
  readonly signal?: AbortSignal;
}

const DEFAULT_CONFLICT_BACKOFF: BackoffOptions = { initialMs: 2, maxMs: 100, multiplier: 2 };
const NEVER_ABORTED = new AbortController().signal;

/**
 * The exactly-once step, independent of any transport: for one message, each handler of its
 * type claims (consumer, message id) in the inbox and runs, all in ONE store transaction. It
 * resolves only after the commit; the caller acks then. A duplicate commits nothing.
 */
export class MessageProcessor {
  private readonly store: EventStore;
  private readonly registry: HandlerRegistry;
  private readonly executor: CommandExecutor;
  private readonly clock: () => Date;
  private readonly maxConflictRetries: number;
  private readonly conflictBackoff: BackoffOptions;
  private readonly middleware: readonly HandlerMiddleware[];
  private readonly observer: ConsumerObserver;

  constructor(options: MessageProcessorOptions) {
    this.store = options.store;
    this.registry = new HandlerRegistry(options.handlers);
    this.executor =
      options.executor ?? new CommandExecutor(options.store, { afterAppend: [enqueueAppendedEvents()] });
    this.clock = options.clock ?? (() => new Date());
    this.maxConflictRetries = options.maxConflictRetries ?? 3;
    requireWholeNumber(this.maxConflictRetries, 'maxConflictRetries');
    this.conflictBackoff = validateBackoff(
      options.conflictBackoff ?? DEFAULT_CONFLICT_BACKOFF,
      'conflictBackoff',
    );
    this.middleware = options.middleware ?? [];
    this.observer = options.observer ?? {};
  }

  /** Message types some handler takes. */
  get types(): readonly string[] {
    return this.registry.types;
  }

  process(message: Envelope, options: ProcessOptions = {}): Promise<ProcessOutcome> {
    const handlers = this.registry.handlersFor(message.type);
    if (handlers.length === 0) {
      notify(this.observer.ignored, message);
      return Promise.resolve({ handled: [], duplicates: [] });
    }
    const attempt = options.attempt ?? 1;
    const signal = options.signal ?? NEVER_ABORTED;
    return this.transaction(message, handlers, attempt, signal, 0);
  }

  /** One unit of work; a version conflict runs it again after a backoff, up to maxConflictRetries. */
  private transaction(
    message: Envelope,
    handlers: readonly MessageHandler[],
    attempt: number,
    signal: AbortSignal,
    retry: number,
  ): Promise<ProcessOutcome> {
    let running: Promise<ProcessOutcome>;
    try {
      running = this.store.transaction((uow) => this.runAll(uow, message, handlers, attempt, signal));
    } catch (error) {
      running = Promise.reject(error);
    }
    return running.then(
      (outcome) => {
        this.report(message, outcome);
        return outcome;
      },
      async (error: unknown) => {
        if (!(error instanceof ConcurrencyError) || retry >= this.maxConflictRetries || signal.aborted) {
          notify(this.observer.failed, message, error, attempt);
          throw error;
        }
        notify(this.observer.conflict, message, retry + 1);
        await sleep(fullJitterDelay(retry + 1, this.conflictBackoff), signal);
        return this.transaction(message, handlers, attempt, signal, retry + 1);
      },
    );
  }

  private async runAll(
    uow: UnitOfWork,
    message: Envelope,
    handlers: readonly MessageHandler[],
    attempt: number,
    signal: AbortSignal,
  ): Promise<ProcessOutcome> {
    const handled: { consumer: string; durationMs: number }[] = [];
    const duplicates: string[] = [];
    for (const entry of handlers) {
      if (!(await uow.claim(entry.consumer, message.id))) {
        duplicates.push(entry.consumer);
        continue;
      }
      const context = createHandlerContext({
        message,
        uow,
        attempt,
        consumer: entry.consumer,
        signal,
        executor: this.executor,
        clock: this.clock,
      });
      const started = performance.now();
      await this.runOne(entry, context);
      handled.push({ consumer: entry.consumer, durationMs: performance.now() - started });
    }
    return { handled, duplicates };
  }

  private runOne(entry: MessageHandler, context: HandlerContext): Promise<void> {
    const innermost = () => entry.handle(context.message as Parameters<MessageHandler['handle']>[0], context);
    return runThrough(this.middleware, context, innermost);
  }

  private report(message: Envelope, outcome: ProcessOutcome): void {
    for (const { consumer, durationMs } of outcome.handled)
      notify(this.observer.handled, message, consumer, durationMs);
    for (const consumer of outcome.duplicates) notify(this.observer.duplicate, message, consumer);
  }
}
