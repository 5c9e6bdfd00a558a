import type { QueueAttributeName, SQSClient } from '@aws-sdk/client-sqs';
import { GetQueueAttributesCommand, GetQueueUrlCommand } from '@aws-sdk/client-sqs';
import type { ConsumerLagReading } from '@eventloom/core';
import { awsCall, errorName } from './aws-call.js';

/**
 * Every message a queue still holds is unconsumed: waiting, received and not yet deleted (in a
 * handler, or nacked with a delay), or sent with a delay. Only a delete consumes one.
 */
const UNCONSUMED: readonly QueueAttributeName[] = [
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
];

/** The name SQS's JSON protocol gives a missing queue, and the one its query protocol gave. */
const NO_SUCH_QUEUE = new Set(['QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue']);

/**
 * One reading named after the queue, or none when the queue does not exist (it is not created).
 * Both calls share one deadline of `timeoutMs`.
 */
export async function queueLag(
  sqs: SQSClient,
  queueName: string,
  timeoutMs: number,
): Promise<ConsumerLagReading[]> {
  try {
    const attributes = await awsCall(
      `reading the depth of queue '${queueName}'`,
      timeoutMs,
      async (abortSignal) => {
        const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: queueName }), {
          abortSignal,
        });
        const input = { QueueUrl, AttributeNames: [...UNCONSUMED] };
        const read = await sqs.send(new GetQueueAttributesCommand(input), { abortSignal });
        return read.Attributes ?? {};
      },
    );
    const lag = UNCONSUMED.reduce((sum, name) => sum + (Number(attributes[name]) || 0), 0);
    return [{ topic: queueName, lag }];
  } catch (error) {
    if (NO_SUCH_QUEUE.has(errorName(error) ?? '')) return [];
    throw error;
  }
}
