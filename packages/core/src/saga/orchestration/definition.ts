import type { BackoffOptions } from '../../common/backoff.js';
import type { MessageOf } from '../../consumer/handler.js';
import type { DomainEvent } from '../../domain/decider.js';
import type { Envelope } from '../../envelope/envelope.js';
import type { JsonValue } from '../../envelope/json.js';
import type { SagaMessage } from '../definition.js';

/** What a step's action and compensation are built from. */
export interface StepInput<Data> {
  readonly sagaId: string;
  /** The data of the message that started the saga. */
  readonly data: Data;
  /** The data of each completed step's completion reply, by step name. */
  readonly replies: Readonly<Record<string, JsonValue>>;
}

/** A message type (sent with the saga's data) or a function building the message. */
export type StepMessage<Data> = string | ((input: StepInput<Data>) => SagaMessage);

/** One reply type or several. */
export type ReplyTypes = string | readonly string[];

export interface OrchestrationStep<Data> {
  readonly name: string;
  /** The action: a command or message to another service. */
  readonly send: StepMessage<Data>;
  /** Replies that complete the step. */
  readonly completedBy: ReplyTypes;
  /** Replies that fail it (a rejection, a failure event); the completed steps are then compensated. */
  readonly failedBy?: ReplyTypes;
  /**
   * Fails the step when no reply came in time. The action may still have taken effect, so a
   * timed-out step is compensated too (first): its service must accept a compensation for an
   * action it never ran, and refuse that action if it arrives after its compensation.
   */
  readonly timeoutMs?: number;
  /** Undoes the step; a step without one is skipped when compensating. */
  readonly compensate?: StepMessage<Data>;
  /** Replies that confirm the compensation; without them it counts as done once sent. */
  readonly compensatedBy?: ReplyTypes;
  /** Replies that fail the compensation: it is retried with backoff, up to `maxAttempts`. */
  readonly compensationFailedBy?: ReplyTypes;
  /** A compensation unconfirmed after this long has failed (and is retried); `timeoutMs` by default. */
  readonly compensationTimeoutMs?: number;
}

export interface CompensationRetry {
  /** Sends of one compensation before the saga ends `failed` (5 by default). */
  readonly maxAttempts?: number;
  /** Delay before each resend; jittered from the failure's message id (1 s doubling to 60 s by default). */
  readonly backoff?: BackoffOptions;
}

/**
 * Ordered steps, each an action with the reply that completes it and a compensation. When a
 * step fails, the compensations of the completed steps run in reverse order, each once; the
 * saga ends `completed`, `compensated`, or `failed` when a compensation keeps failing.
 */
export interface OrchestrationDefinition<Start extends DomainEvent> {
  readonly name: string;
  readonly startedBy: Start['type'];
  /** The saga id of a start message: every message of the saga is keyed by it. */
  readonly sagaId: (start: MessageOf<Start>) => string;
  /** The saga id of a reply; its `subject` by default (see `replyTo`). */
  readonly correlate?: (reply: Envelope) => string | undefined;
  readonly steps: readonly OrchestrationStep<Start['data']>[];
  readonly compensationRetry?: CompensationRetry;
  readonly historyLimit?: number;
}

export type OrchestrationPhase = 'forward' | 'compensating' | 'done';

/** The stored state of an orchestration instance. */
export interface OrchestrationState<Data = JsonValue> {
  readonly data: Data;
  readonly phase: OrchestrationPhase;
  /** Index of the step whose reply is awaited, while going forward. */
  readonly step: number;
  readonly completed: readonly string[];
  readonly replies: Readonly<Record<string, JsonValue>>;
  readonly failure?: { readonly step: string; readonly reason: string };
  /** Steps still to compensate, the current one first. */
  readonly pending: readonly string[];
  readonly compensated: readonly string[];
  /** Sends of the current compensation so far. */
  readonly attempt: number;
  /** The current compensation failed and waits for its retry timer. */
  readonly awaitingRetry: boolean;
}
