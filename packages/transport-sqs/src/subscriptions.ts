import type { SNSClient } from '@aws-sdk/client-sns';
import {
  GetSubscriptionAttributesCommand,
  ListSubscriptionsByTopicCommand,
  SetSubscriptionAttributesCommand,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import { InvalidInputError } from '@eventloom/core';
import { awsCall } from './aws-call.js';
import { TOPIC_ATTRIBUTE } from './binding.js';

/** SNS allows 150 values across one filter policy. */
export const MAX_FILTER_VALUES = 150;

export interface SubscriptionRequest {
  readonly topicArn: string;
  readonly queueArn: string;
  /** The Eventloom topics the queue takes from this SNS topic; undefined takes every message. */
  readonly filterTopics: readonly string[] | undefined;
}

/**
 * Subscribes a queue to an SNS topic with raw message delivery. With a filter, an existing
 * subscription's filter grows to the union (members of one group may read different topics
 * during a rolling deploy); it never shrinks, so a topic a group stops reading is removed by hand.
 */
export async function subscribeQueue(sns: SNSClient, timeoutMs: number, request: SubscriptionRequest) {
  const { topicArn, queueArn, filterTopics } = request;
  const call = <T>(what: string, send: (signal: AbortSignal) => Promise<T>) =>
    awsCall(`${what} (${queueArn} on ${topicArn})`, timeoutMs, send);
  const existing = filterTopics === undefined ? undefined : await findSubscription(sns, call, request);
  if (existing === undefined) {
    const attributes: Record<string, string> = { RawMessageDelivery: 'true' };
    if (filterTopics !== undefined) attributes.FilterPolicy = filterPolicy(filterTopics);
    const input = { TopicArn: topicArn, Protocol: 'sqs', Endpoint: queueArn, Attributes: attributes };
    await call('subscribing', (abortSignal) => sns.send(new SubscribeCommand(input), { abortSignal }));
    return;
  }
  const current = await call('reading the filter policy', (abortSignal) =>
    sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: existing }), { abortSignal }),
  );
  const known = filteredTopics(current.Attributes?.FilterPolicy);
  const wanted = [...new Set([...known, ...(filterTopics ?? [])])];
  if (wanted.length === known.length) return;
  const update = {
    SubscriptionArn: existing,
    AttributeName: 'FilterPolicy',
    AttributeValue: filterPolicy(wanted),
  };
  await call('widening the filter policy', (abortSignal) =>
    sns.send(new SetSubscriptionAttributesCommand(update), { abortSignal }),
  );
}

type Call = <T>(what: string, send: (signal: AbortSignal) => Promise<T>) => Promise<T>;

async function findSubscription(sns: SNSClient, call: Call, request: SubscriptionRequest) {
  let NextToken: string | undefined;
  do {
    const input = { TopicArn: request.topicArn, ...(NextToken === undefined ? {} : { NextToken }) };
    const page = await call('listing subscriptions', (abortSignal) =>
      sns.send(new ListSubscriptionsByTopicCommand(input), { abortSignal }),
    );
    const found = page.Subscriptions?.find(
      (subscription) => subscription.Protocol === 'sqs' && subscription.Endpoint === request.queueArn,
    );
    if (found?.SubscriptionArn !== undefined) return found.SubscriptionArn;
    NextToken = page.NextToken;
  } while (NextToken !== undefined);
  return undefined;
}

export function filterPolicy(topics: readonly string[]): string {
  if (topics.length > MAX_FILTER_VALUES) {
    throw new InvalidInputError(
      'subscribe.topics',
      `${topics.length} topics of one context for one group; SNS filter policies hold at most ${MAX_FILTER_VALUES}`,
    );
  }
  return JSON.stringify({ [TOPIC_ATTRIBUTE]: [...topics].sort() });
}

function filteredTopics(policy: string | undefined): string[] {
  if (policy === undefined || policy.length === 0) return [];
  const values: unknown = (JSON.parse(policy) as Record<string, unknown>)[TOPIC_ATTRIBUTE];
  return Array.isArray(values) ? values.filter((value): value is string => typeof value === 'string') : [];
}
