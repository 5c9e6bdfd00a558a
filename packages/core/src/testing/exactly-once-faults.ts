import type { HandlerMiddleware } from '../consumer/handler.js';
import type { EventStore } from '../store/contract.js';
import { SimulatedCrash } from './faulty-transport.js';

/** Throws a SimulatedCrash now and then (FaultyTransport.crashPoint), keyed by what it would hit. */
export type CrashPoint = (point: string, key: string) => void;

export const CRASH_POINTS = {
  beforeCommit: 'consumer: after the handler wrote, before commit',
  afterPublish: 'relay: after the broker accepted a batch, before marking it dispatched',
} as const;

/** Crashes a handler run after it wrote, before commit; and any run still going when its consumer is stopped hard. */
export function crashBeforeCommit(crashPoint: CrashPoint): HandlerMiddleware {
  return async (context, next) => {
    await next();
    if (context.signal.aborted) throw new SimulatedCrash('consumer: stopped hard mid-handler');
    crashPoint(CRASH_POINTS.beforeCommit, context.message.id);
  };
}

/** The store as seen by a relay that may die between publish and markDispatched. */
export function withCrashAfterPublish(store: EventStore, crashPoint: CrashPoint): EventStore {
  const markDispatched: EventStore['markDispatched'] = async (seqs) => {
    crashPoint(CRASH_POINTS.afterPublish, `outbox:${seqs.join(',')}`);
    await store.markDispatched(seqs);
  };
  return new Proxy(store, {
    get(target, property) {
      if (property === 'markDispatched') return markDispatched;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
