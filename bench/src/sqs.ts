import {
  CreateTopicCommand,
  PublishBatchCommand,
  type PublishBatchRequestEntry,
  SNSClient,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { createEnvelope, type Envelope } from '@eventloom/core';
import { createSqsTransport, type SqsTransport } from '@eventloom/transport-sqs';
import {
  type ComparisonRow,
  compare,
  type Measurement,
  measure,
  printRows,
  runConcurrently,
} from './measure.js';

/** moto's cost per message grows with queue depth, so the runs stay in the hundreds. */
const MESSAGES = 500;
const BATCH = 100;
const SNS_BATCH = 10;
const KEYS = 50;
const CONCURRENCY = 8;
const RAW_POLLERS = 3;

const run = `bench${Date.now().toString(36)}-`;

interface Raw {
  readonly sns: SNSClient;
  readonly sqs: SQSClient;
}

/** SNS/SQS transport beside the raw SDK v3, same server, batches, keys and concurrency. */
export async function benchSqs(): Promise<ComparisonRow[]> {
  const endpoint = process.env.EVENTLOOM_SQS_ENDPOINT;
  if (endpoint === undefined || endpoint.length === 0) {
    console.log(
      'Skipping the SNS/SQS bench: EVENTLOOM_SQS_ENDPOINT is not set (bash scripts/services.sh up moto).',
    );
    return [];
  }
  const client = {
    region: process.env.EVENTLOOM_AWS_REGION ?? 'us-east-1',
    credentials: {
      accessKeyId: process.env.EVENTLOOM_AWS_ACCESS_KEY_ID ?? 'test',
      secretAccessKey: process.env.EVENTLOOM_AWS_SECRET_ACCESS_KEY ?? 'test',
    },
  };
  const raw: Raw = {
    sns: new SNSClient({ ...client, endpoint: process.env.EVENTLOOM_SNS_ENDPOINT ?? endpoint }),
    sqs: new SQSClient({ ...client, endpoint }),
  };
  const transport = createSqsTransport({ ...client, endpoint, namePrefix: run, waitTimeSeconds: 1 });
  try {
    const rows = [await publishCase(transport, raw), await endToEndCase(transport, raw)];
    printRows(
      `SNS/SQS on moto (standard queues, ${KEYS} keys, publish batches of ${BATCH}) — raw = SDK v3 PublishBatch / ReceiveMessage + DeleteMessageBatch`,
      rows,
    );
    return rows;
  } finally {
    await transport.close();
    raw.sns.destroy();
    raw.sqs.destroy();
  }
}

function messages(count: number, label: string): Envelope[] {
  return Array.from({ length: count }, (_, n) =>
    createEnvelope({ type: `bench.${label}`, data: { n }, partitionkey: `key-${n % KEYS}` }),
  );
}

/** The entry an SDK user would publish for the same event: JSON body, CloudEvents attributes. */
function rawEntry(envelope: Envelope, index: number): PublishBatchRequestEntry {
  const text = (StringValue: string) => ({ DataType: 'String', StringValue });
  return {
    Id: String(index),
    Message: JSON.stringify(envelope.data),
    MessageAttributes: {
      'ce-specversion': text('1.0'),
      'ce-id': text(envelope.id),
      'ce-type': text(envelope.type),
      'ce-source': text(envelope.source),
      'ce-time': text(envelope.time),
      'ce-partitionkey': text(envelope.partitionkey),
    },
  };
}

/** A topic fanning out to one queue with raw delivery, as a user of the bare SDK would set it up. */
async function rawTopology(raw: Raw, label: string): Promise<{ topicArn: string; queueUrl: string }> {
  const topic = await raw.sns.send(new CreateTopicCommand({ Name: `${run}raw-${label}` }));
  const queue = await raw.sqs.send(new CreateQueueCommand({ QueueName: `${run}raw-${label}` }));
  const queueUrl = queue.QueueUrl as string;
  const attributes = await raw.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
  );
  await raw.sns.send(
    new SubscribeCommand({
      TopicArn: topic.TopicArn,
      Protocol: 'sqs',
      Endpoint: attributes.Attributes?.QueueArn,
      Attributes: { RawMessageDelivery: 'true' },
    }),
  );
  return { topicArn: topic.TopicArn as string, queueUrl };
}

async function rawPublish(raw: Raw, topicArn: string, envelopes: readonly Envelope[]): Promise<void> {
  for (let start = 0; start < envelopes.length; start += BATCH) {
    const batch = envelopes.slice(start, start + BATCH);
    await runConcurrently(Math.ceil(batch.length / SNS_BATCH), CONCURRENCY, async (chunk) => {
      const entries = batch.slice(chunk * SNS_BATCH, (chunk + 1) * SNS_BATCH).map(rawEntry);
      await raw.sns.send(
        new PublishBatchCommand({ TopicArn: topicArn, PublishBatchRequestEntries: entries }),
      );
    });
  }
}

async function eventloomPublish(transport: SqsTransport, topic: string, envelopes: readonly Envelope[]) {
  for (let start = 0; start < envelopes.length; start += BATCH) {
    await transport.publish(envelopes.slice(start, start + BATCH).map((envelope) => ({ topic, envelope })));
  }
}

async function publishCase(transport: SqsTransport, raw: Raw): Promise<ComparisonRow> {
  const { topicArn, queueUrl } = await rawTopology(raw, 'publish');
  const topic = 'bench.publish';
  await transport.provision({ group: 'bench-publish', topics: [topic] });
  const envelopes = messages(MESSAGES, 'publish');
  const rawMeasured = await measure('raw publish', MESSAGES, () => rawPublish(raw, topicArn, envelopes));
  const eventloom = await measure('publish', MESSAGES, () => eventloomPublish(transport, topic, envelopes));
  await raw.sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
  return compare(`publish, ${MESSAGES} in batches of ${BATCH}`, eventloom, rawMeasured);
}

/** Publishes while consuming; measured from the first publish to the last message handled and deleted. */
async function endToEndCase(transport: SqsTransport, raw: Raw): Promise<ComparisonRow> {
  const { topicArn, queueUrl } = await rawTopology(raw, 'end-to-end');
  const rawMeasured = await measure('raw end-to-end', MESSAGES, async () => {
    const consuming = rawConsume(raw, queueUrl, MESSAGES);
    await rawPublish(raw, topicArn, messages(MESSAGES, 'end-to-end'));
    await consuming;
  });
  const topic = 'bench.end-to-end';
  let handled = 0;
  let allHandled: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    allHandled = resolve;
  });
  const group = { group: 'bench-end-to-end', topics: [topic], maxInFlight: RAW_POLLERS * SNS_BATCH };
  const subscription = await transport.subscribe(group, async () => {
    if (++handled === MESSAGES) allHandled();
  });
  const eventloom: Measurement = await measure('end-to-end', MESSAGES, async () => {
    await eventloomPublish(transport, topic, messages(MESSAGES, 'end-to-end'));
    await done;
  });
  await subscription.close();
  return compare(`end-to-end publish → handler → delete, ${MESSAGES}`, eventloom, rawMeasured);
}

/** RAW_POLLERS long-polling loops, each handling its 10 and deleting them in one batch. */
async function rawConsume(raw: Raw, queueUrl: string, count: number): Promise<void> {
  let received = 0;
  const poll = async () => {
    while (received < count) {
      const output = await raw.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: SNS_BATCH,
          WaitTimeSeconds: 1,
          MessageAttributeNames: ['All'],
        }),
      );
      const batch = output.Messages ?? [];
      if (batch.length === 0) continue;
      for (const message of batch) JSON.parse(message.Body ?? 'null');
      const entries = batch.map((message, index) => ({
        Id: String(index),
        ReceiptHandle: message.ReceiptHandle,
      }));
      await raw.sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
      received += batch.length;
    }
  };
  await Promise.all(Array.from({ length: RAW_POLLERS }, poll));
}
