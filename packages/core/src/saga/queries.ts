import type { JsonValue } from '../envelope/json.js';
import { InvalidInputError } from '../errors.js';
import type { EventStore, StoredDocument } from '../store/contract.js';
import { requirePositive, requireText } from '../store/validate.js';
import { SAGA_STATUSES, type SagaStatus } from './definition.js';
import { recordsCollection, type SagaRecord, statusIndexCollection, statusIndexId } from './record.js';

/** A stored saga instance and the version its next write must match. */
export type SagaView<State = JsonValue> = SagaRecord<State> & { readonly version: number };

export interface SagaListOptions {
  readonly status?: SagaStatus;
  /** Saga id to list after (exclusive), for paging. */
  readonly after?: string;
  /** At most this many (100 by default, 1000 at most). */
  readonly limit?: number;
}

/** A saga by name, or the saga itself. */
export type SagaRef = string | { readonly name: string };

/** Read-only views of saga instances for operators: state, status, timers and history. */
export interface SagaQueries {
  get<State = JsonValue>(saga: SagaRef, id: string): Promise<SagaView<State> | undefined>;
  /** Instances in saga id order, optionally only those with `status`. */
  list<State = JsonValue>(saga: SagaRef, options?: SagaListOptions): Promise<SagaView<State>[]>;
  /** How many instances are in each status, read in one transaction. */
  countByStatus(saga: SagaRef): Promise<Record<SagaStatus, number>>;
}

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1_000;

export function sagaQueries(store: EventStore): SagaQueries {
  return new StoredSagaQueries(store);
}

class StoredSagaQueries implements SagaQueries {
  constructor(private readonly store: EventStore) {}

  async get<State = JsonValue>(saga: SagaRef, id: string): Promise<SagaView<State> | undefined> {
    const name = sagaNameOf(saga);
    requireText(id, 'id');
    return this.store.transaction(async (uow) =>
      view(await uow.documents<SagaRecord<State>>(recordsCollection(name)).get(id)),
    );
  }

  async list<State = JsonValue>(saga: SagaRef, options: SagaListOptions = {}): Promise<SagaView<State>[]> {
    const name = sagaNameOf(saga);
    const { status, after, limit } = listOptions(options);
    return this.store.transaction(async (uow) => {
      const records = uow.documents<SagaRecord<State>>(recordsCollection(name));
      if (status === undefined) return present((await records.list({ limit, ...afterId(after) })).map(view));
      const prefix = statusIndexId(status, '');
      const from = after === undefined ? {} : afterId(statusIndexId(status, after));
      const index = await uow.documents(statusIndexCollection(name)).list({ prefix, limit, ...from });
      // One read at a time: a store's transaction may run on one connection that takes one query at once.
      const views: SagaView<State>[] = [];
      for (const entry of index) {
        const found = view(await records.get(entry.id.slice(prefix.length)));
        if (found !== undefined) views.push(found);
      }
      return views;
    });
  }

  async countByStatus(saga: SagaRef): Promise<Record<SagaStatus, number>> {
    const name = sagaNameOf(saga);
    return this.store.transaction(async (uow) => {
      const index = uow.documents(statusIndexCollection(name));
      const counts = {} as Record<SagaStatus, number>;
      for (const status of SAGA_STATUSES)
        counts[status] = await index.count({ prefix: statusIndexId(status, '') });
      return counts;
    });
  }
}

function present<T>(items: readonly (T | undefined)[]): T[] {
  return items.filter((item): item is T => item !== undefined);
}

function view<State>(document: StoredDocument<SagaRecord<State>> | undefined): SagaView<State> | undefined {
  return document === undefined ? undefined : { ...document.value, version: document.version };
}

/** The saga's name, checked. */
export function sagaNameOf(saga: SagaRef): string {
  const name = typeof saga === 'string' ? saga : saga?.name;
  requireText(name, 'saga');
  return name;
}

function afterId(after: string | undefined): { afterId?: string } {
  return after === undefined ? {} : { afterId: after };
}

function listOptions(options: SagaListOptions): Required<Pick<SagaListOptions, 'limit'>> & SagaListOptions {
  const limit = options.limit ?? DEFAULT_LIMIT;
  requirePositive(limit, 'limit');
  if (limit > MAX_LIMIT) throw new InvalidInputError('limit', `must be at most ${MAX_LIMIT}, got ${limit}`);
  if (options.status !== undefined && !SAGA_STATUSES.includes(options.status)) {
    throw new InvalidInputError('status', `must be one of ${SAGA_STATUSES.join(', ')}`);
  }
  if (options.after !== undefined) requireText(options.after, 'after');
  return { ...options, limit };
}
