interface CommittedPartition {
  readonly partition: number;
  readonly offset: unknown;
  readonly metadata?: unknown;
}

interface CommittedTopic {
  readonly topic: string;
  readonly partitions: readonly CommittedPartition[];
}

interface OffsetCommit {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly metadata: string;
}

/**
 * Commits the broker confirmed, as kafkajs reports them in its commit event. kafkajs resolves a
 * commit call without sending anything once its consumer stopped; only a confirmed commit counts.
 */
export class CommitConfirmations {
  private readonly seen = new Set<string>();

  record(topics: readonly CommittedTopic[]): void {
    for (const { topic, partitions } of topics) {
      for (const { partition, offset, metadata } of partitions) {
        this.seen.add(keyOf(topic, partition, String(offset), typeof metadata === 'string' ? metadata : ''));
      }
    }
  }

  /** True when every one of `offsets` was confirmed; forgets them either way. */
  confirmed(offsets: readonly OffsetCommit[]): boolean {
    let all = true;
    for (const { topic, partition, offset, metadata } of offsets) {
      all = this.seen.delete(keyOf(topic, partition, offset, metadata)) && all;
    }
    return all;
  }
}

function keyOf(topic: string, partition: number, offset: string, metadata: string): string {
  return `${topic}\u0000${partition}\u0000${offset}\u0000${metadata}`;
}
