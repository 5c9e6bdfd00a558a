import { integerAtLeast } from '../common/integers.js';
import type { Envelope } from '../envelope/envelope.js';
import { toJson } from '../envelope/json.js';
import { ConcurrencyError, InvalidInputError } from '../errors.js';
import { type EncodedMessage, encodeMessage } from './codec.js';
import type { ReadAllOptions, ReadStreamOptions, ScheduledMessage, Snapshot } from './contract.js';
import { type StoreLimits, validateStreamId } from './limits.js';

/** Input checks every store shares, so that each rejects the same input with the same error. */

export function requireText(value: unknown, field: string): asserts value is string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new InvalidInputError(field, 'must be a non-empty string');
  }
}

/** An integer ≥ 0: versions, positions, counts. */
export function requireWholeNumber(value: unknown, field: string): asserts value is number {
  integerAtLeast(0, value, field);
}

export function requirePositive(value: unknown, field: string): asserts value is number {
  requireWholeNumber(value, field);
  if (value === 0) throw new InvalidInputError(field, 'must be ≥ 1, got 0');
}

/** Milliseconds of a valid Date. */
export function requireDate(value: unknown, field: string): number {
  const millis = value instanceof Date ? value.getTime() : Number.NaN;
  if (Number.isNaN(millis)) throw new InvalidInputError(field, 'must be a valid Date');
  return millis;
}

export interface StreamRange {
  readonly direction: 'forwards' | 'backwards';
  readonly fromVersion: number | undefined;
  readonly maxCount: number | undefined;
}

export function streamRange(streamId: unknown, options: ReadStreamOptions, limits: StoreLimits): StreamRange {
  validateStreamId(streamId, limits);
  const direction = options.direction ?? 'forwards';
  if (direction !== 'forwards' && direction !== 'backwards') {
    throw new InvalidInputError('direction', `must be 'forwards' or 'backwards', got ${String(direction)}`);
  }
  if (options.fromVersion !== undefined) requireWholeNumber(options.fromVersion, 'fromVersion');
  if (options.maxCount !== undefined) requireWholeNumber(options.maxCount, 'maxCount');
  return { direction, fromVersion: options.fromVersion, maxCount: options.maxCount };
}

export function allRange(options: ReadAllOptions): { after: number; maxCount: number | undefined } {
  const after = options.after ?? 0;
  requireWholeNumber(after, 'after');
  if (options.maxCount !== undefined) requireWholeNumber(options.maxCount, 'maxCount');
  return { after, maxCount: options.maxCount };
}

export interface EncodedSnapshot {
  readonly streamId: string;
  readonly version: number;
  readonly schemaversion: number;
  readonly stateJson: string;
}

export function encodeSnapshot(snapshot: Snapshot, limits: StoreLimits): EncodedSnapshot {
  validateStreamId(snapshot?.streamId, limits);
  requirePositive(snapshot.version, 'snapshot.version');
  requirePositive(snapshot.schemaversion, 'snapshot.schemaversion');
  const { text } = toJson(snapshot.state, 'snapshot.state');
  return { ...snapshot, stateJson: text };
}

export interface EncodedScheduled {
  readonly id: string;
  readonly dueAt: number;
  readonly message: EncodedMessage;
}

export function encodeScheduled(scheduled: ScheduledMessage, limits: StoreLimits): EncodedScheduled {
  requireText(scheduled?.id, 'scheduled.id');
  const dueAt = requireDate(scheduled.dueAt, 'scheduled.dueAt');
  return {
    id: scheduled.id,
    dueAt,
    message: encodeMessage(scheduled.envelope, limits, 'scheduled.envelope'),
  };
}

/** Checks a document write and serializes its value. */
export function encodeDocument(
  collection: string,
  id: unknown,
  value: unknown,
  expectedVersion: unknown,
): string {
  requireText(id, `documents('${collection}').id`);
  if (expectedVersion !== undefined) requireWholeNumber(expectedVersion, 'expectedVersion');
  return toJson(value, `documents('${collection}')['${id}']`).text;
}

export function validateLease(name: unknown, owner: unknown, ttlMs?: unknown): void {
  requireText(name, 'lease.name');
  requireText(owner, 'lease.owner');
  if (ttlMs !== undefined) requirePositive(ttlMs, 'lease.ttlMs');
}

export function validateListOptions(options: { prefix?: string; afterId?: string; limit?: number }): void {
  if (options.prefix !== undefined && typeof options.prefix !== 'string') {
    throw new InvalidInputError('prefix', 'must be a string');
  }
  if (options.afterId !== undefined && typeof options.afterId !== 'string') {
    throw new InvalidInputError('afterId', 'must be a string');
  }
  if (options.limit !== undefined) requireWholeNumber(options.limit, 'limit');
}

export function eventAlreadyStored(index: number, id: string): InvalidInputError {
  return new InvalidInputError(`events[${index}].id`, `an event with id '${id}' is already stored`);
}

/** A snapshot must describe a version the stream has reached. */
export function checkSnapshotVersion(snapshot: EncodedSnapshot, streamVersion: number): void {
  if (snapshot.version > streamVersion) {
    throw new InvalidInputError(
      'snapshot.version',
      `is ${snapshot.version}, beyond version ${streamVersion} of stream '${snapshot.streamId}'`,
    );
  }
}

/** Optimistic check of a document write; `expected` 0 means the document must not exist. */
export function checkDocumentVersion(
  collection: string,
  id: string,
  expected: number | undefined,
  actual: number,
): void {
  if (expected !== undefined && expected !== actual) {
    throw new ConcurrencyError(`${collection}/${id}`, String(expected), actual);
  }
}

export function encodeMessages(messages: readonly Envelope[], limits: StoreLimits): EncodedMessage[] {
  if (!Array.isArray(messages)) throw new InvalidInputError('messages', 'must be an array');
  return messages.map((message, index) => encodeMessage(message, limits, `messages[${index}]`));
}

export function requireSeqs(seqs: readonly number[]): void {
  if (!Array.isArray(seqs)) throw new InvalidInputError('seqs', 'must be an array');
  for (let index = 0; index < seqs.length; index++) {
    const seq = seqs[index];
    // The field name is spelled out only for a bad seq: batches run to thousands.
    if (!Number.isSafeInteger(seq) || (seq as number) < 1) requirePositive(seq, `seqs[${index}]`);
  }
}
