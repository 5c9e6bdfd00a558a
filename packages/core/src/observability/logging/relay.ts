import type { Instrumentation } from '../instrumentation.js';
import { errorFields } from './bindings.js';
import type { LogScope } from './scope.js';

/** The relay's batches, failures and lease changes. */
export function relayLogging(scope: LogScope): Instrumentation {
  const log = () => scope.current;
  return {
    relay: {
      published: (rows, durationMs) =>
        log().debug({ count: rows.length, durationMs }, 'outbox batch published'),
      failed: (error, attempt) => log().warn({ ...errorFields(error), attempt }, 'relay round failed'),
      released: (count) => log().debug({ count }, 'scheduled messages released'),
      purged: (count) => log().debug({ count }, 'dispatched outbox rows purged'),
      leaseChanged: (held) => log().info({ held }, held ? 'relay lease taken' : 'relay lease given up'),
    },
  };
}
