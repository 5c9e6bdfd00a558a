import { describe } from 'vitest';
import { describeAppend } from './store-conformance-append.js';
import { describeBadInput } from './store-conformance-bad-input.js';
import { describeDocuments } from './store-conformance-documents.js';
import { type StoreFactory, storesClosedAfterEach } from './store-conformance-fixtures.js';
import { describeInbox } from './store-conformance-inbox.js';
import { describeLeases, describeLifecycle } from './store-conformance-lifecycle.js';
import { describeOutbox } from './store-conformance-outbox.js';
import { describeStoreProperty } from './store-conformance-property.js';
import { describeReading } from './store-conformance-read.js';
import { describeScheduled } from './store-conformance-scheduled.js';
import { describeSnapshots } from './store-conformance-snapshots.js';

export type { StoreFactory, StoreFactoryOptions } from './store-conformance-fixtures.js';

/**
 * The store contract of CONFORMANCE.md as a vitest suite. Every store runs it unchanged;
 * `factory` must give a new, empty store on each call.
 */
export function describeStoreConformance(name: string, factory: StoreFactory): void {
  describe(`store conformance: ${name}`, () => {
    const open = storesClosedAfterEach(factory);
    describeAppend(open);
    describeReading(open);
    describeInbox(open);
    describeOutbox(open);
    describeSnapshots(open);
    describeScheduled(open);
    describeBadInput(open);
    describeDocuments(open);
    describeLeases(open);
    describeLifecycle(open);
    describeStoreProperty(open);
  });
}
