import { CreateTopicCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SetQueueAttributesCommand,
} from '@aws-sdk/client-sqs';
import { TransportError } from '@eventloom/core';
import { awsCall } from './aws-call.js';
import type { AwsClients } from './clients.js';
import type { TopologyNames } from './names.js';
import type { ResolvedSqsOptions } from './options.js';
import { subscribeQueue } from './subscriptions.js';

/** What one consumer group needs at the broker. */
export interface GroupPlan {
  readonly group: string;
  readonly topics: readonly string[];
  readonly deadLetterTopic: string;
  /** Receives after which SQS moves a message to the group's dead-letter queue by itself. */
  readonly maxReceiveCount: number;
}

export interface Queue {
  readonly url: string;
  readonly arn: string;
}

type Settings = Pick<ResolvedSqsOptions, 'fifo' | 'layout' | 'callTimeoutMs' | 'retentionSeconds'>;

/**
 * Creates the topology idempotently: an SNS topic per Eventloom topic (or per context), and per
 * group a queue subscribed to its topics with raw delivery, a dead-letter queue behind a redrive
 * policy and subscribed to the group's dead-letter topic, and on both one policy statement that
 * lets every topic named with the prefix send (one wildcard, however many topics there are).
 */
export class Topology {
  private readonly topicArns = new Map<string, Promise<string>>();
  /** Settles when every provisioning begun so far has; publishes wait for it. */
  private provisioning: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly clients: AwsClients,
    readonly names: TopologyNames,
    private readonly settings: Settings,
  ) {}

  /**
   * The ARN of the SNS topic carrying `topic`, created on first use. It waits for provisioning
   * under way: SNS drops what reaches a topic before the subscription being made exists.
   */
  async topicArn(topic: string): Promise<string> {
    await this.provisioning;
    return this.topicArns.get(this.names.snsTopic(topic)) ?? this.ensureTopic(topic);
  }

  /** Creates or re-creates (after the broker lost it) a group's queues, subscriptions and topics. */
  provisionGroup(plan: GroupPlan): Promise<Queue> {
    const work = this.provisionNow(plan);
    this.provisioning = Promise.allSettled([this.provisioning, work]);
    return work;
  }

  private ensureTopic(topic: string): Promise<string> {
    const name = this.names.snsTopic(topic);
    const arn = this.createTopic(name);
    this.topicArns.set(name, arn);
    arn.catch(() => {
      if (this.topicArns.get(name) === arn) this.topicArns.delete(name);
    });
    return arn;
  }

  private async provisionNow(plan: GroupPlan): Promise<Queue> {
    const deadLetters = await this.createQueue(this.names.deadLetterQueue(plan.group));
    const queue = await this.createQueue(this.names.queue(plan.group));
    await this.setAttributes(deadLetters, {});
    const redrive = { deadLetterTargetArn: deadLetters.arn, maxReceiveCount: plan.maxReceiveCount };
    await this.setAttributes(queue, { RedrivePolicy: JSON.stringify(redrive) });
    await this.subscribe(queue, plan.topics);
    await this.subscribe(deadLetters, [plan.deadLetterTopic]);
    return queue;
  }

  private async subscribe(queue: Queue, topics: readonly string[]): Promise<void> {
    const bySnsTopic = new Map<string, string[]>();
    for (const topic of topics) {
      const name = this.names.snsTopic(topic);
      const carried = bySnsTopic.get(name);
      if (carried === undefined) bySnsTopic.set(name, [topic]);
      else carried.push(topic);
    }
    const filtered = this.settings.layout === 'topic-per-context';
    for (const carried of bySnsTopic.values()) {
      const topicArn = await this.ensureTopic(carried[0] as string);
      const request = { topicArn, queueArn: queue.arn, filterTopics: filtered ? carried : undefined };
      await subscribeQueue(this.clients.sns, this.settings.callTimeoutMs, request);
    }
  }

  private async createTopic(name: string): Promise<string> {
    const input = { Name: name, ...(this.settings.fifo ? { Attributes: { FifoTopic: 'true' } } : {}) };
    const created = await this.call(`creating SNS topic '${name}'`, (abortSignal) =>
      this.clients.sns.send(new CreateTopicCommand(input), { abortSignal }),
    );
    if (created.TopicArn === undefined) throw new TransportError(`SNS returned no ARN for topic '${name}'`);
    return created.TopicArn;
  }

  private async createQueue(name: string): Promise<Queue> {
    // Only the immutable attribute at creation: SQS refuses to re-create a queue with other values.
    const input = { QueueName: name, ...(this.settings.fifo ? { Attributes: { FifoQueue: 'true' } } : {}) };
    const { sqs } = this.clients;
    const created = await this.call(`creating SQS queue '${name}'`, (abortSignal) =>
      sqs.send(new CreateQueueCommand(input), { abortSignal }),
    );
    const url = created.QueueUrl ?? '';
    const read = await this.call(`reading the ARN of queue '${name}'`, (abortSignal) =>
      sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }), {
        abortSignal,
      }),
    );
    const arn = read.Attributes?.QueueArn;
    if (arn === undefined) throw new TransportError(`SQS returned no ARN for queue '${name}'`);
    return { url, arn };
  }

  private async setAttributes(queue: Queue, extra: Record<string, string>): Promise<void> {
    const attributes: Record<string, string> = {
      Policy: JSON.stringify(snsMaySend(queue.arn, this.names.topicPrefix)),
      MessageRetentionPeriod: String(this.settings.retentionSeconds),
      ...(this.settings.fifo
        ? { DeduplicationScope: 'messageGroup', FifoThroughputLimit: 'perMessageGroupId' }
        : {}),
      ...extra,
    };
    await this.call(`configuring queue '${queue.arn}'`, (abortSignal) =>
      this.clients.sqs.send(new SetQueueAttributesCommand({ QueueUrl: queue.url, Attributes: attributes }), {
        abortSignal,
      }),
    );
  }

  private call<T>(what: string, send: (abortSignal: AbortSignal) => Promise<T>): Promise<T> {
    return awsCall(what, this.settings.callTimeoutMs, send);
  }
}

/** One statement, whatever the number of topics: SNS topics of this account named with the prefix. */
export function snsMaySend(queueArn: string, topicPrefix: string) {
  const [, partition, , region, account] = queueArn.split(':');
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'eventloom-sns-topics',
        Effect: 'Allow',
        Principal: { Service: 'sns.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: queueArn,
        Condition: {
          ArnLike: { 'aws:SourceArn': `arn:${partition}:sns:${region}:${account}:${topicPrefix}*` },
        },
      },
    ],
  };
}
