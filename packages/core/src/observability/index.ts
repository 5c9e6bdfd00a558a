export type { Hooks } from './instrumentation.js';
export {
  type ConsumerLagReading,
  type ConsumerLagSource,
  hasConsumerLag,
  requireLagGroup,
  totalLag,
} from './lag.js';
export type { LogFields, Logger } from './logging/logger.js';
export { silentLogger } from './logging/logger.js';
export { type Observability, type ObservabilityOptions, observability } from './observability.js';
export type { MeterProviderLike, TracerProviderLike } from './providers.js';
export type { WatchedSagas, WatchedSources } from './sources.js';
