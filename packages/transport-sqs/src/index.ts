export {
  EXTENSIONS_ATTRIBUTE,
  fromAttributes,
  HEADERS_ATTRIBUTE,
  SQS_HEADER_PREFIX,
  TOPIC_ATTRIBUTE,
  toAttributes,
} from './binding.js';
export { readableName, TopologyNames } from './names.js';
export type { SqsTransportOptions, TopicLayout } from './options.js';
export { contextBeforeFirstDot, SQS_DEFAULTS } from './options.js';
export { MAX_ENVELOPE_BYTES, SNS_MAX_BYTES } from './publisher.js';
export type { ProvisionRequest, SqsTransport } from './transport.js';
export { createSqsTransport } from './transport.js';
