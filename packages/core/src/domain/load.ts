import type { JsonValue } from '../envelope/json.js';
import { UnknownEventTypeError } from '../errors.js';
import type { EventReader, StoredEvent } from '../store/contract.js';
import type { AnyDecider, Decider, DomainCommand, DomainEvent, SnapshotPolicy } from './decider.js';
import { isEventTypeOf } from './decider.js';

export interface LoadedAggregate<State> {
  readonly state: State;
  readonly version: number;
  /** Version of the snapshot the state started from, 0 when none. */
  readonly snapshotVersion: number;
}

/** Rebuilds an aggregate: the latest usable snapshot, then the events after it. */
export async function loadAggregate<Command extends DomainCommand, Event extends DomainEvent, State>(
  reader: EventReader,
  target: Decider<Command, Event, State>,
  streamId: string,
): Promise<LoadedAggregate<State>> {
  // Without a snapshot policy the stream is read from its start, with no snapshot to look up first.
  const start =
    target.snapshot === undefined
      ? { state: target.initialState(), version: 0 }
      : await startingPoint(reader, target, streamId);
  const tail = await reader.readStream(streamId, { fromVersion: start.version + 1 });
  let state = start.state;
  let version = start.version;
  for (const stored of tail) {
    state = target.evolve(state, toDomainEvent(target, stored));
    version = stored.version;
  }
  return { state, version, snapshotVersion: start.version };
}

async function startingPoint<Command extends DomainCommand, Event extends DomainEvent, State>(
  reader: EventReader,
  target: Decider<Command, Event, State>,
  streamId: string,
): Promise<{ state: State; version: number }> {
  const policy = target.snapshot;
  if (policy === undefined) return { state: target.initialState(), version: 0 };
  const snapshot = await reader.loadSnapshot(streamId);
  if (snapshot === undefined || snapshot.schemaversion !== (policy.schemaversion ?? 1)) {
    return { state: target.initialState(), version: 0 };
  }
  const state = policy.fromJson === undefined ? (snapshot.state as State) : policy.fromJson(snapshot.state);
  return { state, version: snapshot.version };
}

export function toDomainEvent<Event extends DomainEvent>(target: AnyDecider, stored: StoredEvent): Event {
  if (!isEventTypeOf(target, stored.type)) {
    throw new UnknownEventTypeError(stored.type, `stream '${stored.streamId}' (decider '${target.name}')`);
  }
  return { type: stored.type, data: stored.data } as unknown as Event;
}

export function snapshotStateJson<State>(policy: SnapshotPolicy<State>, state: State): JsonValue {
  return policy.toJson === undefined ? (state as JsonValue) : policy.toJson(state);
}
