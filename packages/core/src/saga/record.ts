import type { SagaStatus } from './definition.js';

/** What became of one message a saga instance received. */
export type SagaOutcome =
  | 'started'
  | 'handled'
  /** The saga returned no transition: the message did not fit its state. */
  | 'ignored'
  /** The instance had already ended: acknowledged and recorded, nothing else. */
  | 'after-end'
  /** A timer that had been cancelled or replaced fired anyway. */
  | 'stale-timeout';

export interface SagaHistoryEntry {
  readonly at: string;
  readonly messageId: string;
  readonly type: string;
  readonly outcome: SagaOutcome;
  /** The status after this message. */
  readonly status: SagaStatus;
  readonly note?: string;
  readonly sent?: readonly { readonly id: string; readonly type: string }[];
}

/** One saga instance as stored: its state, status, timers and recent history. */
export interface SagaRecord<State = unknown> {
  readonly saga: string;
  readonly id: string;
  readonly status: SagaStatus;
  readonly state: State;
  readonly startedAt: string;
  readonly updatedAt: string;
  readonly endedAt?: string;
  readonly reason?: string;
  /** Timers set now: name → the id of the scheduled message (only that id may fire it). */
  readonly timeouts: Readonly<Record<string, string>>;
  readonly history: readonly SagaHistoryEntry[];
  /** Entries dropped from the front of `history` to keep it within the saga's history limit. */
  readonly historyDropped: number;
}

/** Instances of saga `name`, by saga id. */
export const recordsCollection = (saga: string): string => `eventloom.saga.${saga}`;
/** `<status>/<saga id>` for each instance of saga `name`: listing by status reads only its prefix. */
export const statusIndexCollection = (saga: string): string => `eventloom.saga-status.${saga}`;
export const statusIndexId = (status: SagaStatus, sagaId: string): string => `${status}/${sagaId}`;

export function newRecord<State>(saga: string, id: string, state: State, at: string): SagaRecord<State> {
  return {
    saga,
    id,
    status: 'running',
    state,
    startedAt: at,
    updatedAt: at,
    timeouts: {},
    history: [],
    historyDropped: 0,
  };
}

/** Appends `entry`, dropping the oldest entries beyond `limit`. */
export function withHistory<State>(
  record: SagaRecord<State>,
  entry: SagaHistoryEntry,
  limit: number,
): SagaRecord<State> {
  const history = [...record.history, entry];
  const dropped = Math.max(0, history.length - limit);
  return {
    ...record,
    updatedAt: entry.at,
    history: dropped === 0 ? history : history.slice(dropped),
    historyDropped: record.historyDropped + dropped,
  };
}
