import type { Either } from 'fp-ts/lib/Either.js';
import type { JsonValue } from '../envelope/json.js';
import type { Rejection } from './rejection.js';

/** A domain event: a type from a closed union and its data. */
export interface DomainEvent<Type extends string = string, Data = unknown> {
  readonly type: Type;
  readonly data: Data;
}

export interface DomainCommand {
  readonly type: string;
}

/** Per event type: the current schema version of its data (1 when `true`). */
export type EventTypeCatalog<Event extends DomainEvent> = {
  readonly [Type in Event['type']]: true | { readonly schemaversion: number };
};

export interface SnapshotPolicy<State> {
  /** Save a snapshot each time the stream crosses a multiple of this many events. */
  readonly every: number;
  /** Version of the state's shape; bump it when State changes and old snapshots are ignored. */
  readonly schemaversion?: number;
  readonly toJson?: (state: State) => JsonValue;
  readonly fromJson?: (json: JsonValue) => State;
}

/**
 * An event-sourced aggregate as three pure functions. `eventTypes` lists every event type of
 * the union (the compiler checks it is complete), so an unknown type read back is an error.
 */
export interface Decider<Command extends DomainCommand, Event extends DomainEvent, State> {
  readonly name: string;
  readonly eventTypes: EventTypeCatalog<Event>;
  readonly initialState: () => State;
  readonly evolve: (state: State, event: Event) => State;
  readonly decide: (command: Command, state: State) => Either<Rejection, readonly Event[]>;
  /** The stream an aggregate id lives in; defaults to `<name>-<id>`. */
  readonly streamId?: (id: string) => string;
  readonly snapshot?: SnapshotPolicy<State>;
}

// biome-ignore lint/suspicious/noExplicitAny: variance of a decider of any shape
export type AnyDecider = Decider<any, any, any>;
export type CommandOf<D> = D extends Decider<infer C, DomainEvent, unknown> ? C : never;
export type EventOf<D> = D extends Decider<DomainCommand, infer E, unknown> ? E : never;
export type StateOf<D> = D extends Decider<DomainCommand, DomainEvent, infer S> ? S : never;

/** Identity with inference: `decider({ ... })` types commands, events and state from one object. */
export function decider<Command extends DomainCommand, Event extends DomainEvent, State>(
  definition: Decider<Command, Event, State>,
): Decider<Command, Event, State> {
  return definition;
}

export function streamIdOf(target: AnyDecider, id: string): string {
  return target.streamId === undefined ? `${target.name}-${id}` : target.streamId(id);
}

export function schemaVersionOf(target: AnyDecider, type: string): number {
  const entry = (target.eventTypes as Record<string, true | { schemaversion: number }>)[type];
  return entry === undefined || entry === true ? 1 : entry.schemaversion;
}

export function isEventTypeOf(target: AnyDecider, type: string): boolean {
  return Object.hasOwn(target.eventTypes, type);
}

/** Folds events onto a state with the decider's evolve. */
export function fold<Command extends DomainCommand, Event extends DomainEvent, State>(
  target: Decider<Command, Event, State>,
  state: State,
  events: readonly Event[],
): State {
  return events.reduce(target.evolve, state);
}
