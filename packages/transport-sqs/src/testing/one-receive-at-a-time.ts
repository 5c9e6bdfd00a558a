import type { SQSClient } from '@aws-sdk/client-sqs';

/**
 * moto answers concurrent ReceiveMessage calls on one queue without a lock: two calls can take
 * the same message, and a long poll keeps the FIFO groups that were busy when it began, so it
 * hands out a message whose group another member holds. SQS itself does neither. Test members
 * share this client, so their receives on one queue take turns as SQS would order them.
 */
export function oneReceiveAtATime(client: SQSClient): SQSClient {
  const tails = new Map<string, Promise<unknown>>();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== 'ReceiveMessageCommand') return next(args);
      const queueUrl = String((args.input as { QueueUrl?: string }).QueueUrl);
      const turn = (tails.get(queueUrl) ?? Promise.resolve()).then(() => next(args));
      tails.set(
        queueUrl,
        turn.catch(() => {}),
      );
      return turn;
    },
    { step: 'initialize', name: 'oneReceiveAtATime' },
  );
  return client;
}
