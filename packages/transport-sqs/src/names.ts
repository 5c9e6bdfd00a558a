import { createHash } from 'node:crypto';
import type { ResolvedSqsOptions } from './options.js';

const MAX_TOPIC_NAME = 256;
const MAX_QUEUE_NAME = 80;
const FIFO_SUFFIX = '.fifo';
const DEAD_LETTER_SUFFIX = '-dlq';
const HASH_LENGTH = 10;
/** Names made only of these map to readable names with `.` → `_`, one to one. */
const PLAIN = /^[A-Za-z0-9.-]+$/;

/**
 * The physical names of the topology: SNS topics and SQS queues. A name is the prefix plus the
 * Eventloom name with `.` written as `_`; a name that is too long, or that this mapping could
 * confuse with another, is cut and ends in `-` plus a hash of the original, so it stays stable
 * and readable: `eventloom-billing_invoice-sent`, `eventloom-a-very-long-group-na-3f9a0c12be`.
 */
export class TopologyNames {
  private readonly suffix: string;

  constructor(
    private readonly options: Pick<ResolvedSqsOptions, 'namePrefix' | 'fifo' | 'layout' | 'contextOf'>,
  ) {
    this.suffix = options.fifo ? FIFO_SUFFIX : '';
  }

  /** The SNS topic that carries messages of the Eventloom topic `topic`. */
  snsTopic(topic: string): string {
    const carried = this.options.layout === 'topic-per-context' ? this.options.contextOf(topic) : topic;
    const budget = MAX_TOPIC_NAME - this.options.namePrefix.length - this.suffix.length;
    return `${this.options.namePrefix}${readableName(carried, budget, false)}${this.suffix}`;
  }

  /** The queue every member of `group` reads. */
  queue(group: string): string {
    return `${this.options.namePrefix}${this.groupName(group)}${this.suffix}`;
  }

  /** Where the broker moves what the group could not settle, and where its dead letters land. */
  deadLetterQueue(group: string): string {
    return `${this.options.namePrefix}${this.groupName(group)}${DEAD_LETTER_SUFFIX}${this.suffix}`;
  }

  /** Every SNS topic name this transport makes starts with this (for the queue policy). */
  get topicPrefix(): string {
    return this.options.namePrefix;
  }

  private groupName(group: string): string {
    const budget =
      MAX_QUEUE_NAME - this.options.namePrefix.length - DEAD_LETTER_SUFFIX.length - this.suffix.length;
    // A group queue never ends in the dead-letter suffix, so no group's queue is another's DLQ.
    return readableName(group, budget, group.endsWith(DEAD_LETTER_SUFFIX));
  }
}

/** `name` within `budget` characters of [A-Za-z0-9_-], one to one with the original. */
export function readableName(name: string, budget: number, forceHash: boolean): string {
  const readable = name.replace(/\./g, '_');
  if (!forceHash && PLAIN.test(name) && readable.length <= budget) return readable;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, HASH_LENGTH);
  const head = readable.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, budget - HASH_LENGTH - 1);
  return `${head}-${hash}`;
}
