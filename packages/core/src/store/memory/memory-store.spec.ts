import { describeStoreConformance } from '../../testing/store-conformance.js';
import { createMemoryStore } from './index.js';

describeStoreConformance('memory', async (options) => createMemoryStore(options));
