export * from './common/backoff.js';
export * from './common/integers.js';
export * from './config/index.js';
export type {
  DeliveryInfo,
  DeliveryMiddleware,
  HandlerContext,
  HandlerMiddleware,
  MessageHandler,
  MessageOf,
  ScheduleRequest,
} from './consumer/handler.js';
export { handler } from './consumer/handler.js';
export {
  INBOX_RETENTION_DEFAULTS,
  InboxRetention,
  type InboxRetentionOptions,
} from './consumer/inbox-retention.js';
export type { ConsumerObserver } from './consumer/observer.js';
export {
  MessageProcessor,
  type MessageProcessorOptions,
  type ProcessOptions,
  type ProcessOutcome,
} from './consumer/process.js';
export { type AnyMessageHandler, HandlerRegistry } from './consumer/registry.js';
export { type ConsumerOptions, ConsumerRuntime } from './consumer/runtime.js';
export * from './domain/decider.js';
export * from './domain/execute.js';
export * from './domain/load.js';
export type { CommandInfo, CommandMiddleware, CommandObserver } from './domain/observer.js';
export * from './domain/rejection.js';
export * from './envelope/create.js';
export * from './envelope/envelope.js';
export * from './envelope/ids.js';
export * from './envelope/json.js';
export * from './errors.js';
export * from './observability/index.js';
export { enqueueAppendedEvents, envelopeOf } from './outbox/enqueue-hook.js';
export type { PublishedBatch, RelayObserver } from './outbox/observer.js';
export { RELAY_DEFAULTS, type RelayOptions } from './outbox/options.js';
export { OutboxRelay } from './outbox/relay.js';
export { AsyncProjection, type AsyncProjectionOptions } from './projection/async.js';
export { catchUpFully, rebuildProjection, resetProjection } from './projection/catch-up.js';
export { inlineProjection } from './projection/inline.js';
export { type AnyProjection, type Projection, projection } from './projection/projection.js';
export { projectionHandler } from './projection/subscribed.js';
export * from './saga/index.js';
export { observeSagas, type SagaObserver, type SagaTransitionReport } from './saga/observer.js';
export * from './store/contract.js';
export * from './store/limits.js';
export * from './store/memory/index.js';
export * from './store/schema.js';
export * from './transport/index.js';
