import { type BackoffOptions, validateBackoff } from '../../common/backoff.js';
import type { DomainEvent } from '../../domain/decider.js';
import { InvalidInputError } from '../../errors.js';
import { requirePositive, requireText } from '../../store/validate.js';
import type { OrchestrationDefinition, OrchestrationStep, ReplyTypes } from './definition.js';

export type ReplyKind = 'completed' | 'failed' | 'compensated' | 'compensation-failed';

/** Which step a reply type belongs to, and what it says about it. */
export interface ReplyRoute {
  readonly step: number;
  readonly kind: ReplyKind;
}

/** A checked definition, with defaults filled in and replies routed by type. */
export interface ResolvedOrchestration<Data> {
  readonly steps: readonly OrchestrationStep<Data>[];
  readonly stepIndex: ReadonlyMap<string, number>;
  readonly replies: ReadonlyMap<string, ReplyRoute>;
  readonly maxAttempts: number;
  readonly backoff: BackoffOptions;
}

export const MAX_STEPS = 100;
const MAX_ATTEMPTS = 100;
export const DEFAULT_COMPENSATION_ATTEMPTS = 5;
const DEFAULT_RETRY_BACKOFF: BackoffOptions = { initialMs: 1_000, maxMs: 60_000, multiplier: 2 };

const REPLY_FIELDS: readonly [keyof OrchestrationStep<unknown>, ReplyKind][] = [
  ['completedBy', 'completed'],
  ['failedBy', 'failed'],
  ['compensatedBy', 'compensated'],
  ['compensationFailedBy', 'compensation-failed'],
];

export function resolveOrchestration<Start extends DomainEvent>(
  definition: OrchestrationDefinition<Start>,
): ResolvedOrchestration<Start['data']> {
  const field = (name: string) => `orchestration '${String(definition?.name)}'.${name}`;
  requireText(definition?.startedBy, field('startedBy'));
  requireFunction(definition.sagaId, field('sagaId'));
  if (definition.correlate !== undefined) requireFunction(definition.correlate, field('correlate'));
  const { steps } = definition;
  if (!Array.isArray(steps) || steps.length === 0 || steps.length > MAX_STEPS) {
    throw new InvalidInputError(field('steps'), `must be an array of 1 to ${MAX_STEPS} steps`);
  }
  const stepIndex = new Map<string, number>();
  const replies = new Map<string, ReplyRoute>();
  steps.forEach((step, index) => {
    validateStep(step, field(`steps[${index}]`));
    if (stepIndex.has(step.name))
      throw new InvalidInputError(field(`steps[${index}].name`), `'${step.name}' is used twice`);
    stepIndex.set(step.name, index);
    for (const [name, kind] of REPLY_FIELDS) {
      const types = replyTypes(step[name] as ReplyTypes | undefined, field(`steps[${index}].${name}`));
      routeReplies(
        types,
        { step: index, kind },
        replies,
        definition.startedBy,
        field(`steps[${index}].${name}`),
      );
    }
  });
  const retry = definition.compensationRetry ?? {};
  const maxAttempts = retry.maxAttempts ?? DEFAULT_COMPENSATION_ATTEMPTS;
  requirePositive(maxAttempts, field('compensationRetry.maxAttempts'));
  if (maxAttempts > MAX_ATTEMPTS) {
    throw new InvalidInputError(field('compensationRetry.maxAttempts'), `must be at most ${MAX_ATTEMPTS}`);
  }
  const backoff = validateBackoff(retry.backoff ?? DEFAULT_RETRY_BACKOFF, field('compensationRetry.backoff'));
  return { steps, stepIndex, replies, maxAttempts, backoff };
}

function validateStep(step: OrchestrationStep<unknown>, field: string): void {
  requireText(step?.name, `${field}.name`);
  requireMessage(step.send, `${field}.send`);
  if (replyTypes(step.completedBy, `${field}.completedBy`).length === 0) {
    throw new InvalidInputError(`${field}.completedBy`, 'must name at least one reply type');
  }
  if (step.timeoutMs !== undefined) requirePositive(step.timeoutMs, `${field}.timeoutMs`);
  if (step.compensate === undefined) {
    for (const name of ['compensatedBy', 'compensationFailedBy', 'compensationTimeoutMs'] as const) {
      if (step[name] !== undefined) throw new InvalidInputError(`${field}.${name}`, 'needs `compensate`');
    }
    return;
  }
  requireMessage(step.compensate, `${field}.compensate`);
  if (step.compensationTimeoutMs !== undefined) {
    requirePositive(step.compensationTimeoutMs, `${field}.compensationTimeoutMs`);
  }
  if (step.compensationFailedBy !== undefined && step.compensatedBy === undefined) {
    throw new InvalidInputError(`${field}.compensationFailedBy`, 'needs `compensatedBy`');
  }
}

/** Each reply type belongs to one step and one meaning, and is never the start type. */
function routeReplies(
  types: readonly string[],
  route: ReplyRoute,
  routes: Map<string, ReplyRoute>,
  startType: string,
  field: string,
): void {
  for (const type of types) {
    if (type === startType || routes.has(type)) {
      throw new InvalidInputError(field, `'${type}' already has another meaning in this orchestration`);
    }
    routes.set(type, route);
  }
}

/** The reply types of a step field, checked. */
export function replyTypes(types: ReplyTypes | undefined, field: string): readonly string[] {
  if (types === undefined) return [];
  const list = typeof types === 'string' ? [types] : types;
  if (!Array.isArray(list)) throw new InvalidInputError(field, 'must be a message type or an array of them');
  list.forEach((type, index) => {
    requireText(type, typeof types === 'string' ? field : `${field}[${index}]`);
  });
  return list;
}

function requireMessage(message: unknown, field: string): void {
  if (typeof message === 'function') return;
  requireText(message, field);
}

function requireFunction(value: unknown, field: string): void {
  if (typeof value !== 'function') throw new InvalidInputError(field, 'must be a function');
}
