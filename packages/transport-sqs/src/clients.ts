import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { ResolvedSqsOptions } from './options.js';

export interface AwsClients {
  readonly sns: SNSClient;
  readonly sqs: SQSClient;
  /** Destroys the clients this transport built, not the ones it was given. */
  destroy(): void;
}

/** Both SDK clients: the user's own, or built with the region, endpoints, credentials and retry bound. */
export function createClients(options: ResolvedSqsOptions): AwsClients {
  const common = {
    region: options.region,
    maxAttempts: options.maxAttempts,
    requestHandler: { connectionTimeout: Math.min(options.callTimeoutMs, 5_000) },
    ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
  };
  const snsEndpoint = options.snsEndpoint ?? options.endpoint;
  const given = options.clients ?? {};
  const sns =
    given.sns ??
    new SNSClient({ ...common, ...(snsEndpoint === undefined ? {} : { endpoint: snsEndpoint }) });
  const sqs =
    given.sqs ??
    new SQSClient({ ...common, ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }) });
  return {
    sns,
    sqs,
    destroy: () => {
      if (given.sns === undefined) sns.destroy();
      if (given.sqs === undefined) sqs.destroy();
    },
  };
}
