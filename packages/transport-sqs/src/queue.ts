import type { Message, SQSClient } from '@aws-sdk/client-sqs';
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
} from '@aws-sdk/client-sqs';
import { awsCall } from './aws-call.js';
import { MicroBatcher } from './micro-batcher.js';

/** SQS keeps a message invisible for at most 12 hours. */
export const MAX_VISIBILITY_SECONDS = 43_200;

/** The visibility timeout that serves as `ackTimeoutMs`: SQS counts it in whole seconds. */
export function visibilitySeconds(ackTimeoutMs: number): number {
  return Math.min(Math.ceil(ackTimeoutMs / 1_000), MAX_VISIBILITY_SECONDS);
}

export interface Received {
  readonly messages: readonly Message[];
  /** When the receive was sent: every lease it returned started after this. */
  readonly requestedAt: number;
}

interface VisibilityChange {
  readonly receiptHandle: string;
  readonly seconds: number;
}

/** One group's queue as the subscriber uses it; deletes and visibility changes go out in batches. */
export class GroupQueue {
  private readonly deletes: MicroBatcher<string, boolean>;
  private readonly visibilityChanges: MicroBatcher<VisibilityChange, boolean>;

  constructor(
    private readonly sqs: SQSClient,
    private readonly url: string,
    private readonly callTimeoutMs: number,
  ) {
    this.deletes = new MicroBatcher((handles) => this.deleteBatch(handles));
    this.visibilityChanges = new MicroBatcher((changes) => this.changeVisibilityBatch(changes));
  }

  async receive(max: number, waitTimeSeconds: number, visibilitySeconds: number): Promise<Received> {
    const input = {
      QueueUrl: this.url,
      MaxNumberOfMessages: max,
      WaitTimeSeconds: waitTimeSeconds,
      VisibilityTimeout: visibilitySeconds,
      MessageAttributeNames: ['All'],
      MessageSystemAttributeNames: ['ApproximateReceiveCount' as const],
    };
    const requestedAt = Date.now();
    const timeoutMs = this.callTimeoutMs + waitTimeSeconds * 1_000;
    const output = await awsCall(`receiving from ${this.url}`, timeoutMs, (abortSignal) =>
      this.sqs.send(new ReceiveMessageCommand(input), { abortSignal }),
    );
    return { messages: output.Messages ?? [], requestedAt };
  }

  /** True once SQS deleted the message; false when it refused the receipt handle. */
  delete(receiptHandle: string): Promise<boolean> {
    return this.deletes.add(receiptHandle);
  }

  /** True once the message's visibility timeout was set to `seconds` from now. */
  changeVisibility(receiptHandle: string, seconds: number): Promise<boolean> {
    return this.visibilityChanges.add({ receiptHandle, seconds: Math.min(seconds, MAX_VISIBILITY_SECONDS) });
  }

  private async deleteBatch(handles: readonly string[]): Promise<boolean[]> {
    const entries = handles.map((ReceiptHandle, index) => ({ Id: String(index), ReceiptHandle }));
    const output = await awsCall(`deleting from ${this.url}`, this.callTimeoutMs, (abortSignal) =>
      this.sqs.send(new DeleteMessageBatchCommand({ QueueUrl: this.url, Entries: entries }), { abortSignal }),
    );
    return succeeded(entries.length, output.Successful);
  }

  private async changeVisibilityBatch(changes: readonly VisibilityChange[]): Promise<boolean[]> {
    const entries = changes.map(({ receiptHandle, seconds }, index) => ({
      Id: String(index),
      ReceiptHandle: receiptHandle,
      VisibilityTimeout: seconds,
    }));
    const input = { QueueUrl: this.url, Entries: entries };
    const output = await awsCall(`changing visibility in ${this.url}`, this.callTimeoutMs, (abortSignal) =>
      this.sqs.send(new ChangeMessageVisibilityBatchCommand(input), { abortSignal }),
    );
    return succeeded(entries.length, output.Successful);
  }
}

function succeeded(
  count: number,
  successful: ReadonlyArray<{ Id?: string | undefined }> | undefined,
): boolean[] {
  const ids = new Set((successful ?? []).map((entry) => entry.Id));
  return Array.from({ length: count }, (_, index) => ids.has(String(index)));
}
