import type { JsonValue } from '../envelope/json.js';

/** An expected, domain-level refusal of a command: a value, never an exception. */
export interface Rejection {
  readonly kind: 'rejection';
  readonly reason: string;
  readonly details?: JsonValue;
}

export function rejection(reason: string, details?: JsonValue): Rejection {
  return details === undefined ? { kind: 'rejection', reason } : { kind: 'rejection', reason, details };
}

/** The stream kept moving under the command until the retries ran out (or the caller pinned a version). */
export interface Conflict {
  readonly kind: 'conflict';
  readonly streamId: string;
  /** What the writer expected, as the store described it. */
  readonly expected: string;
  readonly actual: number;
  readonly attempts: number;
}
