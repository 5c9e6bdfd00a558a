import type { MessageOf } from '../consumer/handler.js';
import type { DomainEvent } from '../domain/decider.js';
import type { Envelope } from '../envelope/envelope.js';
import type { JsonValue } from '../envelope/json.js';
import { InvalidInputError } from '../errors.js';
import type { UnitOfWork } from '../store/contract.js';
import { requireText } from '../store/validate.js';

/**
 * A read model built from events. `apply` writes documents through the unit of work it is
 * given, so its writes commit with whatever moved it forward: the append (inline), its
 * checkpoint (following the log) or the inbox claim (following a transport).
 */
export interface Projection<Event extends DomainEvent = DomainEvent<string, JsonValue>> {
  /** Stable: names its checkpoint and its inbox consumer. */
  readonly name: string;
  readonly types: readonly Event['type'][];
  /** The document collections it writes; a rebuild empties them first. */
  readonly collections: readonly string[];
  // A method so that a projection of a narrower event union is still a Projection.
  apply(event: MessageOf<Event>, uow: UnitOfWork): Promise<void>;
}

// biome-ignore lint/suspicious/noExplicitAny: a runner holds projections of any event union
export type AnyProjection = Projection<any>;

/** Identity with inference and a check of the definition. */
export function projection<Event extends DomainEvent = DomainEvent<string, JsonValue>>(
  definition: Projection<Event>,
): Projection<Event> {
  validateProjection(definition);
  return definition;
}

export function validateProjection(definition: AnyProjection): void {
  requireText(definition?.name, 'projection.name');
  if (!Array.isArray(definition.types) || definition.types.length === 0) {
    throw new InvalidInputError('projection.types', 'must be a non-empty array of event types');
  }
  if (!Array.isArray(definition.collections)) {
    throw new InvalidInputError('projection.collections', 'must be an array of collection names');
  }
  if (typeof definition.apply !== 'function')
    throw new InvalidInputError('projection.apply', 'must be a function');
}

/** Applies `event` when the projection takes its type. */
export async function applyIfHandled(target: AnyProjection, event: Envelope, uow: UnitOfWork): Promise<void> {
  if (target.types.includes(event.type)) await target.apply(event, uow);
}

export function checkpointNameOf(target: AnyProjection): string {
  return `projection:${target.name}`;
}
