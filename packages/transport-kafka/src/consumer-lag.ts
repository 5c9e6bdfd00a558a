import type { ConsumerLagReading } from '@eventloom/core';
import type { Admin } from 'kafkajs';

/** Where a group begins reading a partition it has no committed offset on (`SubscribeOptions.from`). */
export type StartPosition = 'start' | 'new';

/** A partition's retained log: its first offset and the offset the next message will get. */
export interface Watermarks {
  readonly low: string;
  readonly high: string;
}

/** The topics this transport subscribed each group to, with where the group begins on them. */
export class GroupStarts {
  private readonly byGroup = new Map<string, Map<string, StartPosition>>();

  record(group: string, topics: readonly string[], from: StartPosition): void {
    const starts = this.byGroup.get(group) ?? new Map<string, StartPosition>();
    for (const topic of topics) starts.set(topic, from);
    this.byGroup.set(group, starts);
  }

  of(group: string): ReadonlyMap<string, StartPosition> {
    return this.byGroup.get(group) ?? new Map();
  }
}

/**
 * Per partition of every topic `group` has committed offsets on, plus the topics this transport
 * subscribed it to: the high watermark minus the committed offset. A committed offset below the
 * low watermark counts from the low watermark (retention deleted the rest). A partition with no
 * committed offset counts as Kafka's tooling shows it, 0, unless this transport subscribed the
 * group to the topic `from: 'start'`: then the whole retained log is ahead of it (high − low).
 * A group the broker has no offsets for, and that was not subscribed here, has no readings.
 */
export async function readConsumerLag(
  admin: Admin,
  group: string,
  starts: ReadonlyMap<string, StartPosition>,
): Promise<ConsumerLagReading[]> {
  const committed = await committedOffsets(admin, group);
  const topics = [...new Set([...committed.keys(), ...starts.keys()])].sort();
  const perTopic = await Promise.all(
    topics.map(async (topic) => {
      const partitions = await admin.fetchTopicOffsets(topic);
      return partitions
        .sort((a, b) => a.partition - b.partition)
        .map((watermarks) => ({
          topic,
          partition: String(watermarks.partition),
          lag: partitionLag(watermarks, committed.get(topic)?.get(watermarks.partition), starts.get(topic)),
        }));
    }),
  );
  return perTopic.flat();
}

/** Messages of one partition the group has not committed; `committed` is kafkajs' offset ('-1': none). */
export function partitionLag(
  { low, high }: Watermarks,
  committed: string | undefined,
  start: StartPosition | undefined,
): number {
  const end = Number(high);
  const first = Number(low);
  const offset = committed === undefined ? -1 : Number(committed);
  const position = offset >= 0 ? Math.max(offset, first) : start === 'start' ? first : end;
  return Math.max(0, end - position);
}

/** Committed offsets by topic and partition; with no topics named, the broker lists all the group's. */
async function committedOffsets(admin: Admin, groupId: string): Promise<Map<string, Map<number, string>>> {
  const byTopic = new Map<string, Map<number, string>>();
  for (const { topic, partitions } of await admin.fetchOffsets({ groupId })) {
    byTopic.set(topic, new Map(partitions.map(({ partition, offset }) => [partition, offset])));
  }
  return byTopic;
}
