import type { Decider, DomainCommand, DomainEvent } from '../domain/decider.js';
import type { ExecuteResult } from '../domain/execute.js';
import type { EnvelopeInit } from '../envelope/create.js';
import type { Envelope } from '../envelope/envelope.js';
import type { JsonValue } from '../envelope/json.js';
import type { UnitOfWork } from '../store/contract.js';

/** The envelope of each member of a union of `{ type, data }`, so `switch (message.type)` narrows `data`. */
export type MessageOf<Message extends DomainEvent> = Message extends unknown
  ? Envelope<Message['type'], Message['data']>
  : never;

/** When a scheduled message is due, and the id that cancels it (the message's id by default). */
export type ScheduleRequest = {
  readonly message: EnvelopeInit;
  readonly id?: string;
} & ({ readonly at: Date } | { readonly afterMs: number });

/**
 * What a handler works with. Everything it writes through `uow` or the helpers commits in one
 * transaction with the inbox claim of `message`, or not at all; messages it produces carry
 * the correlation id of `message` and are caused by it.
 */
export interface HandlerContext {
  readonly message: Envelope;
  readonly uow: UnitOfWork;
  /** The transport's delivery count: 1 the first time. */
  readonly attempt: number;
  /** The handler's consumer name, its inbox key. */
  readonly consumer: string;
  /** Aborted when the runtime stops; a handler that gives up rolls back and is redelivered. */
  readonly signal: AbortSignal;
  now(): Date;
  /** Enqueues messages (commands or events) in the outbox; the relay publishes them after commit. */
  send(...messages: readonly EnvelopeInit[]): Promise<readonly Envelope[]>;
  /** Runs a command on an aggregate in this unit of work: its events commit with the claim. */
  execute<Command extends DomainCommand, Event extends DomainEvent, State>(
    target: Decider<Command, Event, State>,
    id: string,
    command: Command,
  ): Promise<ExecuteResult<State>>;
  /** Holds a message in the store until it is due; returns the id that cancels it. */
  schedule(request: ScheduleRequest): Promise<string>;
  cancelScheduled(id: string): Promise<boolean>;
}

/**
 * Handles messages of some types. `consumer` is the stable name its inbox claims are kept
 * under: renaming it makes every retained message look new to it.
 */
export interface MessageHandler<Message extends DomainEvent = DomainEvent<string, JsonValue>> {
  readonly consumer: string;
  readonly types: readonly Message['type'][];
  // A method (not a property) so a handler of a narrower message union is still a MessageHandler.
  handle(message: MessageOf<Message>, context: HandlerContext): Promise<void>;
}

/** Identity with inference: `handler<OrderEvent>({ consumer, types, handle })` types the messages. */
export function handler<Message extends DomainEvent = DomainEvent<string, JsonValue>>(
  definition: MessageHandler<Message>,
): MessageHandler<Message> {
  return definition;
}

/** One delivery as the consumer runtime takes it from the transport. */
export interface DeliveryInfo {
  readonly message: Envelope;
  readonly topic: string;
  /** The consumer group it was delivered to. */
  readonly group: string;
  /** The transport's kind: `memory`, `nats`, `kafka`, `sqs`, … */
  readonly transport: string;
  /** The transport's delivery count: 1 the first time. */
  readonly attempt: number;
}

/**
 * Wraps the processing of one delivery — inbox claims, every handler and the commit, before the
 * ack: tracing spans, logging, timing. Throwing fails the delivery, as a handler's throw does.
 */
export type DeliveryMiddleware = (delivery: DeliveryInfo, next: () => Promise<void>) => Promise<void>;

/** Wraps each handler run inside its unit of work: tracing spans, logging, timing. */
export type HandlerMiddleware = (context: HandlerContext, next: () => Promise<void>) => Promise<void>;
