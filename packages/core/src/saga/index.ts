export {
  type AnySaga,
  isEnded,
  SAGA_STATUSES,
  type Saga,
  type SagaContext,
  type SagaDefinition,
  type SagaEndStatus,
  type SagaMessage,
  type SagaStatus,
  type SagaTimeout,
  type SagaTimeoutRequest,
  type SagaTransition,
} from './definition.js';
export { SAGA_FAILED_TYPE, type SagaFailedAlert } from './engine.js';
export { derivedId } from './ids.js';
export type {
  CompensationRetry,
  OrchestrationDefinition,
  OrchestrationPhase,
  OrchestrationState,
  OrchestrationStep,
  ReplyTypes,
  StepInput,
  StepMessage,
} from './orchestration/definition.js';
export { orchestration } from './orchestration/orchestration.js';
export {
  type SagaListOptions,
  type SagaQueries,
  type SagaRef,
  type SagaView,
  sagaQueries,
} from './queries.js';
export type { SagaHistoryEntry, SagaOutcome, SagaRecord } from './record.js';
export { replyTo } from './reply.js';
export { DEFAULT_HISTORY_LIMIT, saga } from './saga.js';
export { sagaTimeoutType, type TimerPayload } from './timers.js';
