import {
  type BackoffOptions,
  type Envelope,
  fullJitterDelay,
  InvalidInputError,
  sleep,
  type TopicNaming,
} from '@eventloom/core';
import type { Admin } from 'kafkajs';
import type { KafkaTopologyOptions } from './options.js';

const TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;
const CREATE_ATTEMPTS = 40;
const CREATE_BACKOFF: BackoffOptions = { initialMs: 100, maxMs: 1_000, multiplier: 2 };

/** One topic per event type: `cart.item-added` → `<prefix>cart.item-added`. */
export function topicPerEventType(prefix = ''): TopicNaming {
  return (envelope) => `${prefix}${envelope.type}`;
}

/** One topic per stream category, the stream id up to its first `-`: `cart-42` → `<prefix>cart`. */
export function topicPerStreamCategory(prefix = ''): TopicNaming {
  return (envelope) => `${prefix}${streamCategory(envelope)}`;
}

export function streamCategory(envelope: Envelope): string {
  const stream = envelope.subject ?? envelope.partitionkey;
  const dash = stream.indexOf('-');
  return dash > 0 ? stream.slice(0, dash) : stream;
}

export function assertTopicName(topic: string, field: string): void {
  if (typeof topic !== 'string' || !TOPIC_NAME.test(topic) || topic === '.' || topic === '..') {
    throw new InvalidInputError(
      field,
      `'${String(topic)}' is not a Kafka topic name ([a-zA-Z0-9._-], 1–249 chars)`,
    );
  }
}

/**
 * Creates topics through the admin client with the configured partitions and replication, once
 * per topic and process; creating a topic that already exists is not an error.
 */
export class Topology {
  private readonly ready = new Map<string, Promise<void>>();
  private connecting: Promise<void> | undefined;

  constructor(
    private readonly admin: Admin,
    private readonly options: Required<KafkaTopologyOptions>,
  ) {}

  async ensure(topics: Iterable<string>): Promise<void> {
    const missing = [...new Set(topics)].filter((topic) => !this.ready.has(topic));
    if (missing.length > 0) {
      const creating = this.create(missing);
      for (const topic of missing) this.ready.set(topic, creating);
      creating.catch(() => {
        for (const topic of missing) if (this.ready.get(topic) === creating) this.ready.delete(topic);
      });
    }
    await Promise.all([...new Set(topics)].map((topic) => this.ready.get(topic)));
  }

  /** The admin connection, opened on first use and again after a failure. */
  async connected(): Promise<Admin> {
    this.connecting ??= this.admin.connect().catch((error: unknown) => {
      this.connecting = undefined;
      throw error;
    });
    await this.connecting;
    return this.admin;
  }

  async close(): Promise<void> {
    await this.admin.disconnect();
  }

  /** Creates the topics, then waits until the broker serves their metadata (seconds after a restart). */
  private async create(topics: string[]): Promise<void> {
    const { partitions, replicationFactor, topicConfig } = this.options;
    const configEntries = Object.entries(topicConfig).map(([name, value]) => ({ name, value }));
    const specs = topics.map((topic) => ({
      topic,
      numPartitions: partitions,
      replicationFactor,
      configEntries,
    }));
    const admin = await this.connected();
    await retryingTransient(() => admin.createTopics({ waitForLeaders: false, topics: specs }));
    await retryingTransient(() => admin.fetchTopicMetadata({ topics }));
  }
}

/** Runs `work` again after errors kafkajs marks retriable, with backoff; callers bound the total time. */
async function retryingTransient(work: () => Promise<unknown>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await work();
      return;
    } catch (error) {
      if (attempt >= CREATE_ATTEMPTS || (error as { retriable?: boolean }).retriable === false) throw error;
      await sleep(fullJitterDelay(attempt, CREATE_BACKOFF) + CREATE_BACKOFF.initialMs);
    }
  }
}
