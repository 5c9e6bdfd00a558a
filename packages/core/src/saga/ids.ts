import { createHash } from 'node:crypto';

/** Namespace of every id Eventloom derives (a fixed random UUID, as RFC 9562 asks of a v5 namespace). */
const EVENTLOOM_NAMESPACE = Buffer.from('6f1d3c2a9b8e4f07a1c5d2e3f4a5b6c7', 'hex');

/**
 * A name-based UUID (version 5 layout, SHA-1): the same parts always give the same id. A saga
 * derives the ids of what a transition sends from the message that caused it, so a transition
 * that runs again after a rollback sends the very same message ids.
 */
export function derivedId(...parts: readonly (string | number)[]): string {
  const hash = createHash('sha1').update(EVENTLOOM_NAMESPACE);
  for (const part of parts) hash.update(`${String(part).length}:${String(part)}`);
  const bytes = hash.digest().subarray(0, 16);
  bytes[6] = 0x50 | (bytes[6]! & 0x0f);
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A number in [0, 1) fixed by `key`: jitter that a re-run of the same transition repeats. */
export function derivedFraction(key: string): number {
  return createHash('sha1').update(key).digest().readUInt32BE(0) / 2 ** 32;
}
