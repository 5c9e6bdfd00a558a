import type { DomainEvent } from '../domain/decider.js';
import type { JsonValue } from '../envelope/json.js';
import { InvalidInputError } from '../errors.js';
import { requirePositive, requireText } from '../store/validate.js';
import type { Saga, SagaDefinition } from './definition.js';
import { SagaEngine } from './engine.js';
import { sagaTimeoutType } from './timers.js';

export const DEFAULT_HISTORY_LIMIT = 100;
const MAX_HISTORY_LIMIT = 10_000;
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/**
 * Checks a saga definition and makes it a MessageHandler (consumer `saga.<name>`) of its start
 * types, its other types and its timers. An invalid definition fails here, naming the field.
 */
export function saga<State, Message extends DomainEvent = DomainEvent<string, JsonValue>>(
  definition: SagaDefinition<State, Message>,
): Saga<State, Message> {
  validateSagaDefinition(definition);
  const historyLimit = definition.historyLimit ?? DEFAULT_HISTORY_LIMIT;
  const engine = new SagaEngine(definition, historyLimit);
  const timeoutType = sagaTimeoutType(definition.name);
  return {
    name: definition.name,
    definition,
    timeoutType,
    consumer: `saga.${definition.name}`,
    types: [...new Set<string>([...definition.startedBy, ...(definition.handles ?? []), timeoutType])],
    handle: (message, context) => engine.handle(message, context),
  };
}

function validateSagaDefinition<State, Message extends DomainEvent>(
  definition: SagaDefinition<State, Message>,
): void {
  requireText(definition?.name, 'saga.name');
  if (!NAME_PATTERN.test(definition.name)) {
    throw new InvalidInputError('saga.name', 'must be 1–100 letters, digits, dots, underscores or hyphens');
  }
  const field = (name: string) => `saga '${definition.name}'.${name}`;
  requireTypes(definition.startedBy, field('startedBy'), false);
  if (definition.handles !== undefined) requireTypes(definition.handles, field('handles'), true);
  for (const name of ['correlate', 'initialState', 'on'] as const) {
    if (typeof definition[name] !== 'function')
      throw new InvalidInputError(field(name), 'must be a function');
  }
  if (definition.onTimeout !== undefined && typeof definition.onTimeout !== 'function') {
    throw new InvalidInputError(field('onTimeout'), 'must be a function');
  }
  if (definition.historyLimit !== undefined) {
    requirePositive(definition.historyLimit, field('historyLimit'));
    if (definition.historyLimit > MAX_HISTORY_LIMIT) {
      throw new InvalidInputError(field('historyLimit'), `must be at most ${MAX_HISTORY_LIMIT}`);
    }
  }
}

function requireTypes(types: unknown, field: string, mayBeEmpty: boolean): void {
  if (!Array.isArray(types) || (!mayBeEmpty && types.length === 0)) {
    throw new InvalidInputError(field, `must be ${mayBeEmpty ? 'an' : 'a non-empty'} array of message types`);
  }
  types.forEach((type, index) => {
    requireText(type, `${field}[${index}]`);
  });
}
