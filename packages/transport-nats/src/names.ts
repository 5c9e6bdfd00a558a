import { createHash } from 'node:crypto';
import { InvalidInputError } from '@eventloom/core';

/** Bytes NATS forbids (or that would change meaning) inside one subject token: escaped as %XX. */
const TOKEN_UNSAFE = /[^\x21-\x7e]|[%*>.]/gu;
/** Stream and consumer names additionally exclude path separators (the server uses them as folder names). */
const NAME_UNSAFE = /[^\x21-\x7e]|[%*>./\\]/gu;
/** Marks an empty topic segment (`a..b`), never produced by escaping since `%` itself is `%25`. */
const EMPTY_TOKEN = '%';
const MAX_NAME_LENGTH = 200;

const utf8 = new TextEncoder();

function escapeChars(text: string, unsafe: RegExp): string {
  return text.replace(unsafe, (char) =>
    [...utf8.encode(char)].map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
  );
}

/**
 * Maps a topic to subject tokens, stably and reversibly: dots stay token separators (so
 * `cart.item-added` becomes `cart.item-added` and wildcards work on it), every other character a
 * token cannot hold is percent-escaped.
 */
export function topicToTokens(topic: string): string {
  return topic
    .split('.')
    .map((segment) => (segment.length === 0 ? EMPTY_TOKEN : escapeChars(segment, TOKEN_UNSAFE)))
    .join('.');
}

/** The inverse of `topicToTokens`; undefined for tokens it could not have produced. */
export function tokensToTopic(tokens: string): string | undefined {
  try {
    return tokens
      .split('.')
      .map((token) => (token === EMPTY_TOKEN ? '' : decodeURIComponent(token)))
      .join('.');
  } catch {
    return undefined;
  }
}

/**
 * The last token of every subject: `%p<n>`, which `topicToTokens` never produces (a `%` it writes
 * is alone or before two hex digits), so a partition token never reads as part of a topic.
 */
const PARTITION_TOKEN = /^%p(0|[1-9][0-9]*)$/u;

/** Subjects of one transport: `<prefix>.<topic tokens>.%p<partition>`. */
export class SubjectNaming {
  constructor(readonly prefix: string) {}

  /** Every subject of this transport, for the stream's subject filter. */
  get wildcard(): string {
    return `${this.prefix}.>`;
  }

  subjectOf(topic: string, partition: number): string {
    return `${this.prefix}.${topicToTokens(topic)}.%p${partition}`;
  }

  /** The topic a subject of this transport carries; the bare subject for foreign ones. */
  topicOf(subject: string): string {
    const head = `${this.prefix}.`;
    const cut = subject.lastIndexOf('.');
    if (!subject.startsWith(head) || cut < head.length || !PARTITION_TOKEN.test(subject.slice(cut + 1))) {
      return subject;
    }
    return tokensToTopic(subject.slice(head.length, cut)) ?? subject;
  }
}

/** FNV-1a over the key's UTF-8 bytes: stable across processes, versions and platforms. */
export function partitionOf(key: string, partitions: number): number {
  let hash = 0x811c9dc5;
  for (const byte of utf8.encode(key)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % partitions;
}

/**
 * The durable consumer of one partition of a group: the group's name and `%p<n>`, which
 * `natsName` never produces, so no group's consumer is another group's partition.
 */
export function partitionConsumerName(group: string, partition: number): string {
  return `${natsName(group)}%p${partition}`;
}

/**
 * A stream or consumer name for `value`: escaped like a token, shortened with a hash when too long,
 * so distinct groups never share a durable consumer.
 */
export function natsName(value: string): string {
  const escaped = escapeChars(value, NAME_UNSAFE);
  if (escaped.length <= MAX_NAME_LENGTH) return escaped;
  const hash = createHash('sha256').update(value).digest('hex').slice(0, 16);
  return `${escaped.slice(0, MAX_NAME_LENGTH - 17)}_${hash}`;
}

/** Checks a subject prefix: non-empty tokens, no wildcards, no whitespace. */
export function validatePrefix(prefix: unknown, field: string): string {
  if (typeof prefix !== 'string' || prefix.length === 0) {
    throw new InvalidInputError(field, 'must be a non-empty subject prefix such as "eventloom"');
  }
  const badToken = prefix.split('.').find((token) => token.length === 0 || /[\s*>]/u.test(token));
  if (badToken !== undefined) {
    throw new InvalidInputError(
      field,
      `'${prefix}' is not a valid subject prefix (empty token, whitespace or a wildcard)`,
    );
  }
  return prefix;
}
