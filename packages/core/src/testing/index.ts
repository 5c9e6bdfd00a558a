export {
  createFaultyTransport,
  type FaultKind,
  type FaultOptions,
  FaultyTransport,
  SimulatedCrash,
  seededRandom,
} from './faulty-transport.js';
export { type OrderPlaced, orderSaga, orderSagaDefinition } from './saga-order.js';
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
export { quietPeriod, type WaitOptions, waitFor } from './wait.js';
