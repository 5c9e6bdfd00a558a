import type { MessageHandler, MessageOf } from '../consumer/handler.js';
import type { DomainEvent } from '../domain/decider.js';
import type { EnvelopeInit } from '../envelope/create.js';
import type { Envelope } from '../envelope/envelope.js';
import type { JsonValue } from '../envelope/json.js';

export const SAGA_STATUSES = ['running', 'compensating', 'completed', 'compensated', 'failed'] as const;
export type SagaStatus = (typeof SAGA_STATUSES)[number];
/** Statuses a saga never leaves: later messages for it are acknowledged and recorded, nothing else. */
export type SagaEndStatus = Extract<SagaStatus, 'completed' | 'compensated' | 'failed'>;

export function isEnded(status: SagaStatus): status is SagaEndStatus {
  return status === 'completed' || status === 'compensated' || status === 'failed';
}

/** A message a saga sends: the engine gives it a derived id and the saga id as subject and partition key. */
export type SagaMessage = Omit<EnvelopeInit, 'id' | 'time'>;

/** A named timer. Scheduling a name that is already set replaces it; `data` comes back when it fires. */
export type SagaTimeoutRequest = { readonly name: string; readonly data?: JsonValue } & (
  | { readonly afterMs: number }
  | { readonly at: Date }
);

/** A timer of this saga instance that fired while it was still set. */
export interface SagaTimeout {
  readonly name: string;
  readonly data: JsonValue;
}

/** What a saga decides for one message: its new state and what to send, schedule and cancel. */
export interface SagaTransition<State> {
  readonly state: State;
  /** The new status; an end status (completed, compensated, failed) also cancels every timer. */
  readonly status?: SagaStatus;
  /** Why the saga failed or compensated, for operators (and the alert of a failed saga). */
  readonly reason?: string;
  readonly send?: readonly SagaMessage[];
  readonly schedule?: readonly SagaTimeoutRequest[];
  /** Names of timers to cancel; a cancelled timer that was already on its way is ignored. */
  readonly cancel?: readonly string[];
  /** A line for the saga's history, for operators. */
  readonly note?: string;
}

export interface SagaContext {
  readonly sagaId: string;
  readonly status: SagaStatus;
  /** True while handling the message that started this instance. */
  readonly isNew: boolean;
  readonly now: Date;
  /** The message (or fired timer's message) being handled: its id is the transition's identity. */
  readonly message: Envelope;
}

/**
 * A persistent process manager. Its state lives in the store and changes in the same unit of
 * work as the inbox claim of the message that caused the change and the messages it sends.
 * `on` and `onTimeout` are pure: they return a transition, or undefined to ignore the message.
 */
export interface SagaDefinition<State, Message extends DomainEvent = DomainEvent<string, JsonValue>> {
  /** Stable name: the key of its stored instances and its inbox. Letters, digits, `.`, `_`, `-`. */
  readonly name: string;
  /** Types that start an instance when none exists for their saga id. */
  readonly startedBy: readonly Message['type'][];
  /** Further types, handled only by an instance that exists. */
  readonly handles?: readonly Message['type'][];
  /** The saga id a message belongs to; undefined when it belongs to none (it is acknowledged). */
  readonly correlate: (message: MessageOf<Message>) => string | undefined;
  readonly initialState: (start: MessageOf<Message>) => State;
  readonly on: (
    state: State,
    message: MessageOf<Message>,
    context: SagaContext,
  ) => SagaTransition<State> | undefined;
  readonly onTimeout?: (
    state: State,
    timeout: SagaTimeout,
    context: SagaContext,
  ) => SagaTransition<State> | undefined;
  /** Entries of history kept per instance (the oldest are dropped beyond it); 100 by default. */
  readonly historyLimit?: number;
}

/** A saga is a MessageHandler: register it with the consumer runtime like any other handler. */
export interface Saga<State = unknown, Message extends DomainEvent = DomainEvent<string, JsonValue>>
  extends MessageHandler {
  readonly name: string;
  readonly definition: SagaDefinition<State, Message>;
  /** The message type of this saga's timers (its own topic, by the default topic naming). */
  readonly timeoutType: string;
}

// biome-ignore lint/suspicious/noExplicitAny: a list of sagas of any state and message union
export type AnySaga = Saga<any, any>;
