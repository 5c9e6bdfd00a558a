import * as E from 'fp-ts/lib/Either.js';
import { type BackoffOptions, fullJitterDelay, sleep, validateBackoff } from '../common/backoff.js';
import { runThrough } from '../common/middleware.js';
import { notify } from '../common/notify.js';
import { createEnvelope } from '../envelope/create.js';
import type { Envelope, MessageContext } from '../envelope/envelope.js';
import { uuidv7 } from '../envelope/ids.js';
import {
  ConcurrencyError,
  InvalidInputError,
  TransactionConflictError,
  UnknownEventTypeError,
} from '../errors.js';
import type {
  AppendResult,
  EventStore,
  ExpectedVersion,
  Snapshot,
  StoredEvent,
  UnitOfWork,
} from '../store/contract.js';
import type { AnyDecider, Decider, DomainCommand, DomainEvent } from './decider.js';
import { fold, isEventTypeOf, schemaVersionOf, streamIdOf } from './decider.js';
import { loadAggregate, snapshotStateJson } from './load.js';
import type { CommandInfo, CommandMiddleware, CommandObserver } from './observer.js';
import type { Conflict, Rejection } from './rejection.js';

/** Runs in the append's unit of work after the events are written: inline projections, the outbox. */
export type AppendHook = (uow: UnitOfWork, events: readonly StoredEvent[]) => Promise<void>;

export interface CommandExecutorOptions {
  /** Reload-and-retry rounds after a version conflict before returning a Conflict. */
  readonly maxConflictRetries?: number;
  readonly conflictBackoff?: BackoffOptions;
  readonly afterAppend?: readonly AppendHook[];
  readonly middleware?: readonly CommandMiddleware[];
  readonly observer?: CommandObserver;
}

export interface ExecuteOptions {
  /** Correlation/causation the events inherit; a new conversation starting at the command when absent. */
  readonly context?: MessageContext;
  readonly commandId?: string;
  /** Pins the version the caller saw: a mismatch is a Conflict at once, without retry. */
  readonly expectedVersion?: ExpectedVersion;
}

export interface Executed<State> {
  readonly streamId: string;
  readonly version: number;
  readonly state: State;
  readonly events: readonly StoredEvent[];
}

export type ExecuteResult<State> = E.Either<Rejection | Conflict, Executed<State>>;

const DEFAULT_CONFLICT_BACKOFF: BackoffOptions = { initialMs: 2, maxMs: 100, multiplier: 2 };

/** load → decide → append (+ hooks) in one unit of work, retrying on version conflicts. */
export class CommandExecutor {
  private readonly maxConflictRetries: number;
  private readonly conflictBackoff: BackoffOptions;
  private readonly hooks: readonly AppendHook[];
  private readonly middleware: readonly CommandMiddleware[];
  private readonly observer: CommandObserver;

  constructor(
    private readonly store: EventStore,
    options: CommandExecutorOptions = {},
  ) {
    this.maxConflictRetries = options.maxConflictRetries ?? 5;
    if (!Number.isInteger(this.maxConflictRetries) || this.maxConflictRetries < 0) {
      throw new InvalidInputError(
        'maxConflictRetries',
        `must be an integer ≥ 0, got ${this.maxConflictRetries}`,
      );
    }
    this.conflictBackoff = validateBackoff(
      options.conflictBackoff ?? DEFAULT_CONFLICT_BACKOFF,
      'conflictBackoff',
    );
    this.hooks = options.afterAppend ?? [];
    this.middleware = options.middleware ?? [];
    this.observer = options.observer ?? {};
  }

  execute<Command extends DomainCommand, Event extends DomainEvent, State>(
    target: Decider<Command, Event, State>,
    id: string,
    command: Command,
    options: ExecuteOptions = {},
  ): Promise<ExecuteResult<State>> {
    try {
      const info = commandInfo(target, id, command, options);
      return this.around(info, () =>
        this.executeWithRetries(target, id, command, { ...options, context: info.context }, 1),
      );
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * One attempt inside a unit of work the caller owns (a message handler's): a version
   * conflict throws ConcurrencyError so the caller's whole transaction rolls back.
   */
  async executeIn<Command extends DomainCommand, Event extends DomainEvent, State>(
    uow: UnitOfWork,
    target: Decider<Command, Event, State>,
    id: string,
    command: Command,
    options: ExecuteOptions = {},
  ): Promise<ExecuteResult<State>> {
    const info = commandInfo(target, id, command, options);
    return this.around(info, () =>
      this.attempt(uow, target, id, command, { ...options, context: info.context }),
    );
  }

  private around<State>(
    info: CommandInfo,
    work: () => Promise<ExecuteResult<State>>,
  ): Promise<ExecuteResult<State>> {
    return runThrough<CommandInfo, ExecuteResult<State>>(this.middleware, info, work);
  }

  /** One transaction per attempt; the first one costs no retry frame, as nearly every command needs only it. */
  private executeWithRetries<Command extends DomainCommand, Event extends DomainEvent, State>(
    target: Decider<Command, Event, State>,
    id: string,
    command: Command,
    options: ExecuteOptions & { readonly context: MessageContext },
    attempt: number,
  ): Promise<ExecuteResult<State>> {
    let running: Promise<ExecuteResult<State>>;
    try {
      running = this.store.transaction((uow) => this.attempt(uow, target, id, command, options));
    } catch (error) {
      running = Promise.reject(error);
    }
    return running.then(undefined, async (error: unknown) => {
      // A deadlock or serialization victim wrote nothing: run it again, even with a pinned version.
      const undone = error instanceof TransactionConflictError && attempt <= this.maxConflictRetries;
      if (!undone) {
        if (!(error instanceof ConcurrencyError)) throw error;
        const pinned = options.expectedVersion !== undefined;
        if (pinned || attempt > this.maxConflictRetries) return E.left(conflictFrom(error, attempt));
      }
      await sleep(fullJitterDelay(attempt, this.conflictBackoff));
      return this.executeWithRetries(target, id, command, options, attempt + 1);
    });
  }

  private async attempt<Command extends DomainCommand, Event extends DomainEvent, State>(
    uow: UnitOfWork,
    target: Decider<Command, Event, State>,
    id: string,
    command: Command,
    options: ExecuteOptions & { readonly context: MessageContext },
  ): Promise<ExecuteResult<State>> {
    const streamId = streamIdOf(target, id);
    const loaded = await loadAggregate(uow, target, streamId);
    const decision = target.decide(command, loaded.state);
    if (E.isLeft(decision)) return decision;
    const events = decision.right;
    const envelopes = events.map((event) => toEnvelope(target, streamId, event, options.context));
    const expected = options.expectedVersion ?? loaded.version;
    const appended = await this.append(uow, streamId, envelopes, expected);
    const state = fold(target, loaded.state, events);
    const snapshot = this.snapshotDue(target, streamId, loaded.snapshotVersion, appended.version, state);
    if (snapshot !== undefined) await uow.saveSnapshot(snapshot);
    for (const hook of this.hooks) await hook(uow, appended.events);
    return E.right({ streamId, version: appended.version, state, events: appended.events });
  }

  private append(
    uow: UnitOfWork,
    streamId: string,
    envelopes: readonly Envelope[],
    expected: ExpectedVersion,
  ): Promise<AppendResult> {
    const observed = this.observer.appended;
    if (observed === undefined) return uow.append(streamId, envelopes, expected);
    const started = performance.now();
    return uow.append(streamId, envelopes, expected).then((appended) => {
      notify(observed, streamId, appended.events, performance.now() - started);
      return appended;
    });
  }

  /** The snapshot to save after appending up to `version`, when the policy asks for one. */
  private snapshotDue<Command extends DomainCommand, Event extends DomainEvent, State>(
    target: Decider<Command, Event, State>,
    streamId: string,
    snapshotVersion: number,
    version: number,
    state: State,
  ): Snapshot | undefined {
    const policy = target.snapshot;
    if (policy === undefined) return undefined;
    if (Math.floor(version / policy.every) <= Math.floor(snapshotVersion / policy.every)) return undefined;
    const schemaversion = policy.schemaversion ?? 1;
    return { streamId, version, schemaversion, state: snapshotStateJson(policy, state) };
  }
}

function commandInfo(
  target: AnyDecider,
  id: string,
  command: DomainCommand,
  options: ExecuteOptions,
): CommandInfo {
  const context = options.context ?? startContext(options.commandId ?? uuidv7());
  return { decider: target.name, streamId: streamIdOf(target, id), command, context };
}

function startContext(commandId: string): MessageContext {
  return { correlationid: commandId, causationid: commandId };
}

function toEnvelope(
  target: AnyDecider,
  streamId: string,
  event: DomainEvent,
  context: MessageContext,
): Envelope {
  if (!isEventTypeOf(target, event.type)) {
    throw new UnknownEventTypeError(event.type, `events decided by '${target.name}'`);
  }
  return createEnvelope(
    {
      type: event.type,
      data: event.data,
      source: target.name,
      subject: streamId,
      partitionkey: streamId,
      schemaversion: schemaVersionOf(target, event.type),
    },
    context,
  );
}

function conflictFrom(error: ConcurrencyError, attempts: number): Conflict {
  return {
    kind: 'conflict',
    streamId: error.streamId,
    expected: error.expected,
    actual: error.actual,
    attempts,
  };
}
