import type { EventStore } from '../store/contract.js';
import {
  COLLECTIONS,
  REMINDER_EVERY,
  type SeenDocument,
  type TotalsDocument,
} from './exactly-once-domain.js';

export interface CounterCommandStep {
  /** Counter id: the stream is `counter-<id>`. */
  readonly counter: string;
  /** Positive: accepted; 0: rejected by the decider. */
  readonly by: number;
}

/** One step of a workload: commands run concurrently, a crash/restart, or a pause that lets work progress. */
export type ScenarioStep =
  | { readonly kind: 'commands'; readonly commands: readonly CounterCommandStep[] }
  | { readonly kind: 'restart-consumer'; readonly hard: boolean }
  | { readonly kind: 'restart-relay' }
  | { readonly kind: 'pause'; readonly ms: number };

export interface ScenarioWorkload {
  readonly steps: readonly ScenarioStep[];
}

/** What each counter should end with: effects applied once each, in order per counter. */
export interface CounterOutcome {
  readonly total: number;
  /** Event numbers in the order the totals handler applied them. */
  readonly applied: readonly number[];
  /** Event numbers in the order the ledger handler received their follow-ups. */
  readonly noted: readonly number[];
  /** Reminder numbers received, sorted (they fall due at different times). */
  readonly reminded: readonly number[];
}

export type ScenarioState = Readonly<Record<string, CounterOutcome>>;

export const streamOf = (counterId: string): string => `counter-${counterId}`;

/** The fault-free model: the final state a correct run must reach, whatever was injected. */
export function expectedState(workload: ScenarioWorkload): ScenarioState {
  const totals = new Map<string, { total: number; count: number }>();
  for (const step of workload.steps) {
    if (step.kind !== 'commands') continue;
    for (const { counter, by } of step.commands) {
      const current = totals.get(streamOf(counter)) ?? { total: 0, count: 0 };
      if (by > 0) totals.set(streamOf(counter), { total: current.total + by, count: current.count + 1 });
    }
  }
  const state: Record<string, CounterOutcome> = {};
  for (const [stream, { total, count }] of totals) {
    const numbers = Array.from({ length: count }, (_, index) => index + 1);
    state[stream] = {
      total,
      applied: numbers,
      noted: numbers,
      reminded: numbers.filter((n) => n % REMINDER_EVERY === 0),
    };
  }
  return state;
}

/** What the handlers actually wrote for each counter of `streams`. */
export async function actualState(store: EventStore, streams: readonly string[]): Promise<ScenarioState> {
  return store.transaction(async (uow) => {
    const state: Record<string, CounterOutcome> = {};
    for (const stream of streams) {
      const totals = (await uow.documents<TotalsDocument>(COLLECTIONS.totals).get(stream))?.value;
      const noted = (await uow.documents<SeenDocument>(COLLECTIONS.ledger).get(stream))?.value;
      const reminded = (await uow.documents<SeenDocument>(COLLECTIONS.reminders).get(stream))?.value;
      state[stream] = {
        total: totals?.total ?? 0,
        applied: totals?.seen ?? [],
        noted: noted?.seen ?? [],
        reminded: [...(reminded?.seen ?? [])].sort((a, b) => a - b),
      };
    }
    return state;
  });
}

/**
 * Why a state seen on the way to quiescence can never become the expected one (an effect
 * applied twice or out of order), or undefined while it still can.
 */
export function violation(actual: ScenarioState, expected: ScenarioState): string | undefined {
  for (const [stream, seen] of Object.entries(actual)) {
    const wanted = expected[stream];
    if (wanted === undefined) return `${stream}: effects for a counter that accepted no command`;
    if (!isPrefix(seen.applied, wanted.applied))
      return `${stream}: events applied ${JSON.stringify(seen.applied)}`;
    if (!isPrefix(seen.noted, wanted.noted))
      return `${stream}: follow-ups handled ${JSON.stringify(seen.noted)}`;
    if (
      new Set(seen.reminded).size !== seen.reminded.length ||
      seen.reminded.some((n) => !wanted.reminded.includes(n))
    ) {
      return `${stream}: reminders handled ${JSON.stringify(seen.reminded)}`;
    }
  }
  return undefined;
}

function isPrefix(seen: readonly number[], wanted: readonly number[]): boolean {
  return seen.length <= wanted.length && seen.every((n, index) => wanted[index] === n);
}
