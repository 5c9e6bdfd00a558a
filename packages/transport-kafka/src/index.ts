export { KAFKA_HEADER_PREFIX } from './binding.js';
export {
  KAFKA_DEFAULTS,
  type KafkaConnectionOptions,
  type KafkaConsumerOptions,
  type KafkaTopologyOptions,
  type KafkaTransportOptions,
} from './options.js';
export { streamCategory, topicPerEventType, topicPerStreamCategory } from './topology.js';
export { createKafkaTransport, type KafkaTransport } from './transport.js';
