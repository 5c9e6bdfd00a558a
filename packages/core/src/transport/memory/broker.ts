import { sleep } from '../../common/backoff.js';
import { positiveInteger } from '../../common/integers.js';
import { TransportError } from '../../errors.js';
import type { ConsumerLagReading } from '../../observability/lag.js';
import { decodeHeaderValue } from '../header-value.js';
import type { PendingEntry } from './group-cursor.js';
import { GroupCursor } from './group-cursor.js';
import { Notifier } from './notifier.js';
import { TopicLog } from './topic-log.js';

/** Attribute header prefix of the memory binding (as Kafka's). */
export const MEMORY_HEADER_PREFIX = 'ce_';

export interface MemoryBrokerOptions {
  /** Retention: the oldest messages of a topic are dropped beyond this many. */
  readonly maxMessagesPerTopic?: number;
  /** Largest encoded message `publish` accepts (see `envelopeSize`). */
  readonly maxMessageBytes?: number;
  /** Messages a group may have read and not acked per topic before it stops reading ahead. */
  readonly maxPendingPerGroup?: number;
}

export interface GroupMember {
  readonly group: string;
  readonly topics: readonly string[];
  readonly member: string;
}

export interface LeasedMessage {
  readonly topic: string;
  readonly cursor: GroupCursor;
  readonly entry: PendingEntry;
  readonly token: number;
}

/**
 * An in-process broker that several transports can share, as separate processes share a server:
 * topics are bounded logs of encoded messages, groups keep their position and unacked messages
 * across members, and `restart` drops every lease while keeping the logs and positions.
 */
export class MemoryBroker {
  readonly maxMessagesPerTopic: number;
  readonly maxMessageBytes: number;
  private readonly maxPendingPerGroup: number;
  private readonly topics = new Map<string, TopicLog>();
  /** Each group's position per topic. */
  private readonly cursors = new Map<string, Map<string, GroupCursor>>();
  private readonly changes = new Notifier();
  private up = true;
  private nextMember = 1;
  private rounds = 0;

  constructor(options: MemoryBrokerOptions = {}) {
    this.maxMessagesPerTopic = positive(options.maxMessagesPerTopic ?? 100_000, 'maxMessagesPerTopic');
    this.maxMessageBytes = positive(options.maxMessageBytes ?? 1024 * 1024, 'maxMessageBytes');
    this.maxPendingPerGroup = positive(options.maxPendingPerGroup ?? 10_000, 'maxPendingPerGroup');
  }

  get isUp(): boolean {
    return this.up;
  }

  /** Appends raw messages as one atomic step; the memory broker's notion of durable accept. */
  append(
    topic: string,
    messages: ReadonlyArray<{ headers: Readonly<Record<string, string>>; body: Uint8Array }>,
  ): void {
    this.assertUp(`publish to '${topic}'`);
    const log = this.log(topic);
    for (const { headers, body } of messages) log.append({ headers, body, key: partitionKeyOf(headers) });
    this.changes.notifyAll();
  }

  /** Test hook: puts bytes on `topic` as they are, bypassing the codec and the size limit. */
  injectRaw(topic: string, headers: Readonly<Record<string, string>>, body: Uint8Array): void {
    this.append(topic, [{ headers, body }]);
  }

  /** Joins `member` to its group, creating the group's position on first use (`from` applies then). */
  join(group: string, topics: readonly string[], from: 'start' | 'new'): GroupMember {
    for (const topic of topics) this.cursor(group, topic, from);
    return { group, topics, member: `member-${this.nextMember++}` };
  }

  lease(who: GroupMember, max: number, ackTimeoutMs: number): LeasedMessage[] {
    this.assertUp(`receive for group '${who.group}'`);
    const now = Date.now();
    const leased: LeasedMessage[] = [];
    for (const topic of rotate(who.topics, this.rounds++)) {
      const cursor = this.cursor(who.group, topic, 'start');
      for (const entry of cursor.lease(who.member, max - leased.length, now, ackTimeoutMs)) {
        leased.push({ topic, cursor, entry, token: entry.lease?.token ?? 0 });
      }
    }
    return leased;
  }

  /** Runs a settle step (ack, nack, extend) of a lease and wakes waiting members. */
  settle(what: string, step: () => boolean): boolean {
    this.assertUp(what);
    const took = step();
    if (took) this.changes.notifyAll();
    return took;
  }

  /** Waits for a change that may make messages available to `who`, or until `signal` aborts. */
  async waitForChange(who: GroupMember, signal: AbortSignal): Promise<void> {
    const now = Date.now();
    let wakeAt: number | undefined;
    for (const topic of who.topics) {
      const at = this.cursor(who.group, topic, 'start').nextChangeAt(now);
      if (at !== undefined && (wakeAt === undefined || at < wakeAt)) wakeAt = at;
    }
    await this.changes.wait(signal, wakeAt === undefined ? undefined : wakeAt - now);
  }

  /** A member leaves: its unacked messages go back to the group at once. */
  leave(who: GroupMember): void {
    for (const topic of who.topics)
      this.cursor(who.group, topic, 'start').releaseLeases(Date.now(), who.member);
    this.changes.notifyAll();
  }

  /** Per topic, the messages `group` has not acked; none for a group that never joined. */
  consumerLag(group: string): ConsumerLagReading[] {
    this.assertUp(`reading the lag of group '${group}'`);
    return [...(this.cursors.get(group) ?? [])].map(([topic, cursor]) => ({ topic, lag: cursor.lag }));
  }

  /** Resolves true once the broker is up, false after `timeoutMs`. */
  async whenUp(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.up && Date.now() < deadline) await this.changes.wait(undefined, deadline - Date.now());
    return this.up;
  }

  /** Stops answering: every lease is lost, publishes wait, receives and settles fail. */
  goDown(): void {
    this.up = false;
    for (const topics of this.cursors.values()) {
      for (const cursor of topics.values()) cursor.releaseLeases(Date.now());
    }
    this.changes.notifyAll();
  }

  comeUp(): void {
    this.up = true;
    this.changes.notifyAll();
  }

  /** A restart: down for `downtimeMs`, then up with logs and group positions intact. */
  async restart(downtimeMs = 100): Promise<void> {
    this.goDown();
    await sleep(downtimeMs);
    this.comeUp();
  }

  private assertUp(what: string): void {
    if (!this.up)
      throw new TransportError(`memory broker is down: ${what} failed`, { code: 'transport-unavailable' });
  }

  private log(topic: string): TopicLog {
    let log = this.topics.get(topic);
    if (log === undefined) {
      log = new TopicLog(this.maxMessagesPerTopic);
      this.topics.set(topic, log);
    }
    return log;
  }

  private cursor(group: string, topic: string, from: 'start' | 'new'): GroupCursor {
    let topics = this.cursors.get(group);
    if (topics === undefined) {
      topics = new Map();
      this.cursors.set(group, topics);
    }
    let cursor = topics.get(topic);
    if (cursor === undefined) {
      cursor = new GroupCursor(this.log(topic), from, this.maxPendingPerGroup);
      topics.set(topic, cursor);
    }
    return cursor;
  }
}

export function createMemoryBroker(options?: MemoryBrokerOptions): MemoryBroker {
  return new MemoryBroker(options);
}

function partitionKeyOf(headers: Readonly<Record<string, string>>): string | undefined {
  const raw = headers[`${MEMORY_HEADER_PREFIX}partitionkey`];
  return raw === undefined ? undefined : decodeHeaderValue(raw);
}

function rotate<T>(items: readonly T[], by: number): readonly T[] {
  const start = by % items.length;
  if (start === 0) return items;
  return [...items.slice(start), ...items.slice(0, start)];
}

function positive(value: number, field: string): number {
  return positiveInteger(value, `memoryBroker.${field}`);
}
