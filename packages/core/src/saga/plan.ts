import type { MessageOf } from '../consumer/handler.js';
import type { DomainEvent } from '../domain/decider.js';
import type { Envelope } from '../envelope/envelope.js';
import { InvalidInputError } from '../errors.js';
import {
  isEnded,
  SAGA_STATUSES,
  type SagaContext,
  type SagaDefinition,
  type SagaTransition,
} from './definition.js';
import { newRecord, type SagaOutcome, type SagaRecord } from './record.js';
import { readTimer, sagaTimeoutType } from './timers.js';

/** Most messages one transition may send, and most timers one instance may have set. */
export const MAX_SENDS_PER_TRANSITION = 1_000;
export const MAX_TIMERS = 100;

/** What one message does to one saga instance, decided before anything is written. */
export interface SagaPlan<State> {
  /** The instance as it stands before the transition (a fresh one for a start). */
  readonly record: SagaRecord<State>;
  readonly outcome: SagaOutcome;
  readonly transition?: SagaTransition<State>;
}

/**
 * Routes `message` to the saga's pure functions. Undefined when there is nothing to record: no
 * instance exists and the message cannot start one.
 */
export function planTransition<State, Message extends DomainEvent>(
  definition: SagaDefinition<State, Message>,
  stored: SagaRecord<State> | undefined,
  message: Envelope,
  sagaId: string,
  now: Date,
): SagaPlan<State> | undefined {
  const typed = message as MessageOf<Message>;
  const context = (record: SagaRecord<State>, isNew: boolean): SagaContext => ({
    sagaId,
    status: record.status,
    isNew,
    now,
    message,
  });
  if (stored === undefined) {
    if (!definition.startedBy.includes(message.type)) return undefined;
    const record = newRecord(definition.name, sagaId, definition.initialState(typed), now.toISOString());
    return planned(record, 'started', definition.on(record.state, typed, context(record, true)));
  }
  if (isEnded(stored.status)) return { record: stored, outcome: 'after-end' };
  if (message.type !== sagaTimeoutType(definition.name)) {
    return planned(stored, 'handled', definition.on(stored.state, typed, context(stored, false)));
  }
  const timer = readTimer(message, definition.name);
  if (stored.timeouts[timer.name] !== message.id) return { record: stored, outcome: 'stale-timeout' };
  const { [timer.name]: _fired, ...stillSet } = stored.timeouts;
  const record = { ...stored, timeouts: stillSet };
  const transition = definition.onTimeout?.(record.state, timer, context(record, false));
  return planned(record, 'handled', transition);
}

function planned<State>(
  record: SagaRecord<State>,
  outcome: SagaOutcome,
  transition: SagaTransition<State> | undefined,
): SagaPlan<State> {
  if (transition === undefined) return { record, outcome: outcome === 'started' ? 'started' : 'ignored' };
  validateTransition(transition, record.saga);
  return { record, outcome, transition };
}

/** A transition a saga returned: a malformed one is a bug in the saga, reported with the field. */
function validateTransition(transition: SagaTransition<unknown>, saga: string): void {
  const field = (name: string) => `saga '${saga}' transition.${name}`;
  if (typeof transition !== 'object' || transition === null || !('state' in transition)) {
    throw new InvalidInputError(field('state'), 'a transition must carry the new state');
  }
  if (transition.status !== undefined && !SAGA_STATUSES.includes(transition.status)) {
    throw new InvalidInputError(field('status'), `must be one of ${SAGA_STATUSES.join(', ')}`);
  }
  const sends = transition.send ?? [];
  if (!Array.isArray(sends) || sends.length > MAX_SENDS_PER_TRANSITION) {
    throw new InvalidInputError(field('send'), `must be an array of at most ${MAX_SENDS_PER_TRANSITION}`);
  }
  const schedule = transition.schedule ?? [];
  if (!Array.isArray(schedule) || schedule.length > MAX_TIMERS) {
    throw new InvalidInputError(field('schedule'), `must be an array of at most ${MAX_TIMERS}`);
  }
  const names = new Set<string>();
  schedule.forEach((request, index) => {
    if (typeof request?.name !== 'string' || request.name.length === 0 || names.has(request.name)) {
      throw new InvalidInputError(
        field(`schedule[${index}].name`),
        'must be a non-empty string, once per transition',
      );
    }
    names.add(request.name);
  });
  if (transition.cancel !== undefined && !Array.isArray(transition.cancel)) {
    throw new InvalidInputError(field('cancel'), 'must be an array of timer names');
  }
}
