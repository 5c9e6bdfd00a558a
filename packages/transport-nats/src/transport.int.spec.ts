import { describeTransportConformance } from '@eventloom/core/testing';
import { NATS_HEADER_PREFIX } from './index.js';
import { describeNats, freshTransports, quiet, restartNats } from './testing/nats.js';
import { startNatsServer } from './testing/server.js';

const UNREACHABLE_PUBLISH_TIMEOUT_MS = 1_000;

describeNats('NATS JetStream transport', () => {
  const nats = freshTransports();
  let topics = 0;
  describeTransportConformance('nats', {
    create: () => nats.create(),
    injectRaw: (topic, message) => nats.injectRaw(topic, message),
    headerPrefix: NATS_HEADER_PREFIX,
    // A transport whose server went away for good: started, connected, then killed.
    unreachable: async () => {
      const server = await startNatsServer();
      const transport = await nats.create({
        servers: server.url,
        publishTimeoutMs: UNREACHABLE_PUBLISH_TIMEOUT_MS,
        onError: quiet,
      });
      await server.stop();
      return { transport, publishTimeoutMs: UNREACHABLE_PUBLISH_TIMEOUT_MS };
    },
    ...(restartNats === undefined ? {} : { restartBroker: restartNats }),
    uniqueTopic: (label) => `${label}-${++topics}`,
    shortAckTimeoutMs: 1_000,
  });
});
