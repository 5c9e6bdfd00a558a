export {
  describeStoreConformance,
  type StoreFactory,
  type StoreFactoryOptions,
} from './store-conformance.js';
