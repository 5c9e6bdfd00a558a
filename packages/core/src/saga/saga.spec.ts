import { describe, expect, it } from 'vitest';
import type { HandlerMiddleware } from '../consumer/handler.js';
import { MessageProcessor } from '../consumer/process.js';
import { createEnvelope } from '../envelope/create.js';
import type { Envelope } from '../envelope/envelope.js';
import { ConcurrencyError, InvalidInputError } from '../errors.js';
import type { EventStore, UnitOfWork } from '../store/contract.js';
import { createMemoryStore } from '../store/memory/index.js';
import { orderSagaDefinition } from '../testing/saga-order.js';
import { sagaSpec } from '../testing/saga-spec.js';
import { derivedId } from './ids.js';
import { orchestration } from './orchestration/orchestration.js';
import { sagaQueries } from './queries.js';
import { recordsCollection } from './record.js';
import { saga } from './saga.js';

type TallyEvent = { type: 'tally.opened' | 'tally.added' | 'tally.closed'; data: { tally: string } };

const tally = saga<{ count: number }, TallyEvent>({
  name: 'tally',
  startedBy: ['tally.opened'],
  handles: ['tally.added', 'tally.closed'],
  correlate: (event) => event.data.tally,
  initialState: () => ({ count: 0 }),
  historyLimit: 3,
  on: (state, event) => {
    if (event.type === 'tally.opened') return { state };
    const count = state.count + 1;
    const send = [
      { type: 'tally.noted', data: { count } },
      { type: 'tally.echoed', data: { count } },
    ];
    return event.type === 'tally.added' ? { state: { count }, send } : { state, status: 'completed' };
  },
});

const event = (type: TallyEvent['type'], id: string): Envelope =>
  createEnvelope({ type, data: { tally: 't-1' }, id, partitionkey: 't-1' });

async function outbox(store: EventStore): Promise<Envelope[]> {
  return (await store.pendingOutbox(1_000)).map((row) => row.envelope);
}

describe('saga engine', () => {
  it('a transition run again after a rollback sends the very same message ids, once', async () => {
    const store = createMemoryStore();
    let crashes = 1;
    const crashOnce: HandlerMiddleware = async (context, next) => {
      await next();
      if (context.message.type === 'tally.added' && crashes-- > 0) {
        throw new Error('crash after the saga wrote, before commit');
      }
    };
    const processor = new MessageProcessor({ store, handlers: [tally], middleware: [crashOnce] });
    await processor.process(event('tally.opened', 'm-1'));
    await expect(processor.process(event('tally.added', 'm-2'))).rejects.toThrow(
      'crash after the saga wrote',
    );
    expect(await outbox(store)).toEqual([]);
    await processor.process(event('tally.added', 'm-2'));
    await processor.process(event('tally.added', 'm-2'));
    const sent = await outbox(store);
    expect(sent.map((message) => message.id)).toEqual([
      derivedId('tally', 'm-2', 'send', 0),
      derivedId('tally', 'm-2', 'send', 1),
    ]);
    expect(sent.map((message) => message.partitionkey)).toEqual(['t-1', 't-1']);
  });

  it('a version conflict rolls the unit of work back and the message runs again on fresh state', async () => {
    const store = withOneStaleRead(createMemoryStore(), recordsCollection('tally'));
    const conflicts: number[] = [];
    const processor = new MessageProcessor({
      store,
      handlers: [tally],
      observer: { conflict: (_message, retry) => conflicts.push(retry) },
    });
    await processor.process(event('tally.opened', 'm-1'));
    await processor.process(event('tally.added', 'm-2'));
    expect(conflicts).toEqual([1]);
    const record = await sagaQueries(store).get<{ count: number }>(tally, 't-1');
    expect(record).toMatchObject({ state: { count: 1 }, version: 2 });
    expect(await outbox(store)).toHaveLength(2);
  });

  it('keeps the most recent history entries within the limit and counts the dropped ones', async () => {
    const { record } = await sagaSpec(tally)
      .given(event('tally.opened', 'm-1'), event('tally.added', 'm-2'), event('tally.added', 'm-3'))
      .when(event('tally.closed', 'm-4'))
      .then({ status: 'completed', state: { count: 2 } });
    expect(record.history.map((entry) => entry.messageId)).toEqual(['m-2', 'm-3', 'm-4']);
    expect(record.historyDropped).toBe(1);
    expect(record.history[0]?.sent?.map((message) => message.type)).toEqual(['tally.noted', 'tally.echoed']);
  });

  it('names the invalid field of a saga definition at construction', () => {
    const valid = tally.definition;
    const cases: [object, string][] = [
      [{ name: 'a/b' }, 'saga.name'],
      [{ startedBy: [] }, "saga 'tally'.startedBy"],
      [{ handles: ['ok', ''] }, "saga 'tally'.handles[1]"],
      [{ correlate: 'data.tally' }, "saga 'tally'.correlate"],
      [{ historyLimit: 0 }, "saga 'tally'.historyLimit"],
    ];
    for (const [change, field] of cases) {
      expect(() => saga({ ...valid, ...change } as typeof valid)).toThrow(
        expect.objectContaining({ name: 'InvalidInputError', field }),
      );
    }
  });

  it('names the invalid field of an orchestration at construction', () => {
    const [first, second] = orderSagaDefinition.steps;
    const cases: [object, string][] = [
      [{ steps: [] }, 'steps'],
      [{ steps: [first, { ...second, name: first?.name }] }, 'steps[1].name'],
      [{ steps: [first, { ...second, completedBy: 'inventory.reserved' }] }, 'steps[1].completedBy'],
      [{ steps: [{ ...first, failedBy: 'order.placed' }] }, 'steps[0].failedBy'],
      [{ steps: [{ ...first, compensate: undefined }] }, 'steps[0].compensatedBy'],
      [{ steps: [{ ...first, timeoutMs: -5 }] }, 'steps[0].timeoutMs'],
      [{ steps: [{ ...first, send: '' }] }, 'steps[0].send'],
      [{ compensationRetry: { maxAttempts: 0 } }, 'compensationRetry.maxAttempts'],
      [
        { compensationRetry: { backoff: { initialMs: 10, maxMs: 1, multiplier: 2 } } },
        'compensationRetry.backoff.maxMs',
      ],
    ];
    for (const [change, field] of cases) {
      const build = () => orchestration({ ...orderSagaDefinition, ...change } as typeof orderSagaDefinition);
      expect(build).toThrow(InvalidInputError);
      expect(build).toThrow(`orchestration 'order-saga'.${field}`);
    }
  });

  it('a saga that returns a malformed transition fails the message, naming the field', async () => {
    const broken = saga<{ count: number }, TallyEvent>({
      ...tally.definition,
      name: 'broken',
      on: (state) => ({ state, status: 'completed', schedule: [{ name: 'late', afterMs: 1 }] }),
    });
    const processor = new MessageProcessor({ store: createMemoryStore(), handlers: [broken] });
    await expect(processor.process(event('tally.opened', 'm-1'))).rejects.toThrow(
      "saga 'broken' transition.schedule: cannot set timers as it ends completed",
    );
    const twice = saga<{ count: number }, TallyEvent>({
      ...tally.definition,
      name: 'twice',
      on: (state) => ({
        state,
        schedule: [
          { name: 'tick', afterMs: 1 },
          { name: 'tick', afterMs: 2 },
        ],
      }),
    });
    const third = new MessageProcessor({ store: createMemoryStore(), handlers: [twice] });
    await expect(third.process(event('tally.opened', 'm-1'))).rejects.toThrow(
      "saga 'twice' transition.schedule[1].name",
    );
    const uncorrelated = saga<{ count: number }, TallyEvent>({
      ...tally.definition,
      name: 'uncorrelated',
      correlate: () => '',
    });
    const other = new MessageProcessor({ store: createMemoryStore(), handlers: [uncorrelated] });
    await expect(other.process(event('tally.opened', 'm-1'))).rejects.toThrow(
      "saga 'uncorrelated' correlate",
    );
  });
});

/** The store as seen when another writer commits between this reader's load and its write, once. */
function withOneStaleRead(store: EventStore, collection: string): EventStore {
  let armed = true;
  const staleReads = (uow: UnitOfWork): UnitOfWork =>
    new Proxy(uow, {
      get(target, property) {
        if (property !== 'documents') return Reflect.get(target, property, target);
        return (name: string) => {
          const documents = target.documents(name);
          if (name !== collection) return documents;
          return {
            ...documents,
            put: async (id: string, value: never, expected?: number) => {
              if (!armed || expected === 0) return documents.put(id, value, expected);
              armed = false;
              await documents.put(id, (await documents.get(id))!.value as never);
              throw new ConcurrencyError(`${collection}/${id}`, String(expected), expected! + 1);
            },
          };
        };
      },
    });
  return new Proxy(store, {
    get(target, property) {
      if (property !== 'transaction') return Reflect.get(target, property, target);
      return <T>(work: (uow: UnitOfWork) => Promise<T>) => target.transaction((uow) => work(staleReads(uow)));
    },
  });
}
