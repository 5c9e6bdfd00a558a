import { describeStoreConformance } from '@eventloom/core/testing';
import { describePostgres, freshStores } from './testing/postgres.js';

describePostgres('PostgreSQL store', () => {
  const stores = freshStores();
  describeStoreConformance('postgres', stores.fromFactoryOptions);
  describeStoreConformance('postgres with group commit', (options) =>
    stores.fromFactoryOptions(options, { groupCommit: true }),
  );
});
