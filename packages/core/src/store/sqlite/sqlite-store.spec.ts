import { describeStoreConformance } from '../../testing/store-conformance.js';
import { openSqliteStore } from './index.js';
import { tempFolder } from './temp-folder.js';

const folder = tempFolder('sqlite-conformance');

describeStoreConformance('sqlite file', async (options) =>
  openSqliteStore({ ...options, path: folder.file() }),
);

describeStoreConformance('sqlite :memory:', async (options) =>
  openSqliteStore({ ...options, path: ':memory:' }),
);
