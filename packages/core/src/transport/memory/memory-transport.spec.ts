import { describeTransportConformance } from '../../testing/transport-conformance.js';
import type { ErrorReporter } from '../subscription/held-message.js';
import { createMemoryBroker, MEMORY_HEADER_PREFIX } from './broker.js';
import { createMemoryTransport } from './memory-transport.js';

const broker = createMemoryBroker({ maxMessageBytes: 64 * 1024 });
const quiet: ErrorReporter = () => {};
let topics = 0;

describeTransportConformance('memory', {
  create: async () => createMemoryTransport({ broker, onError: quiet }),
  injectRaw: async (topic, { headers, body }) => broker.injectRaw(topic, headers, body),
  headerPrefix: MEMORY_HEADER_PREFIX,
  unreachable: async () => {
    const down = createMemoryBroker();
    down.goDown();
    return {
      transport: createMemoryTransport({ broker: down, publishTimeoutMs: 300 }),
      publishTimeoutMs: 300,
    };
  },
  restartBroker: () => broker.restart(150),
  uniqueTopic: (label) => `${label}-${++topics}`,
  shortAckTimeoutMs: 300,
});
