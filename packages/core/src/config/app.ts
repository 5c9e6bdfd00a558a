import type { AnyDecider, Decider, DomainCommand, DomainEvent } from '../domain/decider.js';
import { streamIdOf } from '../domain/decider.js';
import type { ExecuteOptions, ExecuteResult } from '../domain/execute.js';
import { loadAggregate } from '../domain/load.js';
import { EventloomError, InvalidInputError } from '../errors.js';
import { type SagaQueries, sagaQueries } from '../saga/queries.js';
import type { EventStore } from '../store/contract.js';
import type { Transport } from '../transport/contract.js';
import type { CheckedOptions } from './check.js';
import type { Runners } from './runners.js';

/** An app wired by `createEventloom`: commands in, background runners started and stopped as one. */
export interface Eventloom {
  readonly name: string;
  /** For queries: documents (read models), streams, the global log. */
  readonly store: EventStore;
  readonly transport: Transport;
  /** Saga instances by saga and id, or listed by status. */
  readonly sagas: SagaQueries;
  /** load → decide → append in one unit of work with inline projections and the outbox. */
  execute<Command extends DomainCommand, Event extends DomainEvent, State>(
    target: Decider<Command, Event, State>,
    id: string,
    command: Command,
    options?: ExecuteOptions,
  ): Promise<ExecuteResult<State>>;
  /** The current state and version of an aggregate (version 0: it does not exist). */
  load<Command extends DomainCommand, Event extends DomainEvent, State>(
    target: Decider<Command, Event, State>,
    id: string,
  ): Promise<{ readonly state: State; readonly version: number }>;
  /** Subscribes the consumer, then starts the relay (with the scheduler) and async projections. */
  start(): Promise<void>;
  /**
   * Graceful and idempotent: the consumer lets in-flight handlers commit, the relay publishes
   * what is pending, then what the app opened from URLs is closed (instances you gave stay open).
   */
  stop(): Promise<void>;
}

export type Closer = () => Promise<void>;

export class EventloomApp implements Eventloom {
  readonly name: string;
  readonly sagas: SagaQueries;
  private starting: Promise<void> | undefined;
  private stopping: Promise<void> | undefined;

  constructor(
    private readonly checked: CheckedOptions,
    readonly store: EventStore,
    readonly transport: Transport,
    private readonly runners: Runners,
    /** Closes what the app opened, in order. */
    private readonly closers: readonly Closer[],
  ) {
    this.name = checked.name;
    this.sagas = sagaQueries(store);
  }

  async execute<Command extends DomainCommand, Event extends DomainEvent, State>(
    target: Decider<Command, Event, State>,
    id: string,
    command: Command,
    options?: ExecuteOptions,
  ): Promise<ExecuteResult<State>> {
    this.requireAggregate(target);
    return this.runners.executor.execute(target, id, command, options);
  }

  async load<Command extends DomainCommand, Event extends DomainEvent, State>(
    target: Decider<Command, Event, State>,
    id: string,
  ): Promise<{ readonly state: State; readonly version: number }> {
    this.requireAggregate(target);
    const { state, version } = await loadAggregate(this.store, target, streamIdOf(target, id));
    return { state, version };
  }

  start(): Promise<void> {
    if (this.stopping !== undefined) {
      return Promise.reject(
        new EventloomError('eventloom-stopped', `app '${this.name}' was stopped; create another`),
      );
    }
    this.starting ??= this.startRunners();
    return this.starting;
  }

  stop(): Promise<void> {
    this.stopping ??= this.shutDown();
    return this.stopping;
  }

  private async startRunners(): Promise<void> {
    const { consumer, relay, projections } = this.runners;
    await consumer?.start();
    relay.start();
    for (const projection of projections) projection.start();
  }

  /** Every step runs even when one before it failed; the first failure is thrown at the end. */
  private async shutDown(): Promise<void> {
    await this.starting?.catch(() => undefined);
    const { consumer, relay, projections } = this.runners;
    const steps: Closer[] = [
      async () => consumer?.stop(),
      async () => {
        await Promise.all(projections.map((projection) => projection.stop()));
      },
      () => relay.stop(),
      ...this.closers,
    ];
    const failures: unknown[] = [];
    for (const step of steps) await step().catch((error: unknown) => failures.push(error));
    if (failures.length > 0) throw failures[0];
  }

  private requireAggregate(target: AnyDecider): void {
    if (this.checked.aggregates.includes(target)) return;
    const names = this.checked.aggregates.map((aggregate) => aggregate.name).join(', ') || 'none';
    throw new InvalidInputError(
      'aggregate',
      `'${String(target?.name)}' is not one of the aggregates of app '${this.name}' (${names}); add it to aggregates`,
    );
  }
}
