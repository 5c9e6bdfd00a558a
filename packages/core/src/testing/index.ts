export {
  ancestry,
  createTestTelemetry,
  type MetricPoint,
  metricTotal,
  type RecordedSpan,
  type TestTelemetry,
} from '../observability/testing/telemetry.js';
export {
  placeOrder,
  runTracedScenario,
  TRACED_SCENARIO_CHAIN,
  type TracedScenarioOptions,
  tracedScenarioChain,
  tracedScenarioDomain,
  waitForCompletion,
} from '../observability/testing/traced-scenario.js';
export {
  describeTracedTransport,
  type TracedTransportHarness,
} from '../observability/testing/traced-transport.js';
export {
  type ExactlyOnceReport,
  type ExactlyOnceScenarioOptions,
  runExactlyOnceScenario,
} from './exactly-once.js';
export {
  faultOptionsOf,
  type ScenarioFaults,
  scenarioFaults,
  scenarioWorkload,
  type WorkloadShape,
} from './exactly-once-arbitrary.js';
export {
  checkExactlyOnce,
  type ExactlyOnceCheckOptions,
  type ExactlyOnceHarness,
} from './exactly-once-check.js';
export { counter as exactlyOnceCounter, exactlyOnceHandlers } from './exactly-once-domain.js';
export {
  CRASH_POINTS,
  type CrashPoint,
  crashBeforeCommit,
  withCrashAfterPublish,
} from './exactly-once-faults.js';
export {
  type CounterOutcome,
  expectedState,
  type ScenarioState,
  type ScenarioStep,
  type ScenarioWorkload,
} from './exactly-once-model.js';
export {
  createFaultyTransport,
  type FaultKind,
  type FaultOptions,
  FaultyTransport,
  SimulatedCrash,
  seededRandom,
} from './faulty-transport.js';
export {
  type EffectsConsumerOptions,
  type EffectsPublishOptions,
  KeyedEffects,
  type KeyedEffectsOptions,
} from './keyed-effects.js';
export { type OrderPlaced, orderSaga, orderSagaDefinition } from './saga-order.js';
export { runSagaScenario, type SagaScenarioOptions, type SagaScenarioReport } from './saga-scenario.js';
export { sagaFaults, sagaScript, sagaScripts } from './saga-scenario-arbitrary.js';
export { checkSaga, type ExpectedSaga, expectedSaga } from './saga-scenario-model.js';
export {
  type ActionBehaviour,
  type Effect,
  type EffectKind,
  ORDER_STEPS,
  type SagaScript,
  scenarioServices,
} from './saga-scenario-services.js';
export {
  type Elapse,
  elapse,
  type SagaExpectation,
  type SagaSpecResult,
  type SagaSpecStep,
  SagaThen,
  sagaSpec,
} from './saga-spec.js';
export {
  describeStoreConformance,
  type StoreFactory,
  type StoreFactoryOptions,
} from './store-conformance.js';
export { describeTransportConformance } from './transport-conformance.js';
export type { RawMessage, TransportHarness } from './transport-conformance-fixtures.js';
export { publishUntilAccepted } from './transport-conformance-fixtures.js';
export { quietPeriod, type WaitOptions, waitFor } from './wait.js';
