import type { HandlerMiddleware } from '../consumer/handler.js';
import { ConsumerRuntime } from '../consumer/runtime.js';
import { createEnvelope } from '../envelope/create.js';
import { uuidv7 } from '../envelope/ids.js';
import { OutboxRelay } from '../outbox/relay.js';
import { isEnded } from '../saga/definition.js';
import type { OrchestrationState } from '../saga/orchestration/definition.js';
import { DEFAULT_COMPENSATION_ATTEMPTS } from '../saga/orchestration/validate.js';
import { type SagaView, sagaQueries } from '../saga/queries.js';
import type { EventStore } from '../store/contract.js';
import type { Transport } from '../transport/contract.js';
import { FaultyTransport } from './faulty-transport.js';
import { orderSaga } from './saga-order.js';
import { checkSaga } from './saga-scenario-model.js';
import {
  type EffectLog,
  effectsCollection,
  type SagaScript,
  scenarioServices,
} from './saga-scenario-services.js';
import { SettleTracker } from './saga-scenario-tracker.js';
import { ManualClock } from './store-conformance-fixtures.js';

export interface SagaScenarioOptions {
  readonly store: EventStore;
  /** The transport under test; a FaultyTransport's crash points are also hit before each commit. */
  readonly transport: Transport;
  /** One OrderSaga instance per script, all running at once. */
  readonly scripts: readonly SagaScript[];
  /** Prefix of topics, group, lease and saga ids, so runs sharing a broker or a store never meet. */
  readonly namespace?: string;
  readonly ackTimeoutMs?: number;
  /** Longest wait for the system to go quiet between two clock jumps. */
  readonly quietTimeoutMs?: number;
}

export interface SagaScenarioReport {
  readonly sagas: readonly SagaView<OrchestrationState>[];
  /** Clock jumps it took to fire every deadline, retry and late reply. */
  readonly jumps: number;
  readonly durationMs: number;
}

/** Beyond every step deadline (30 s) and every compensation backoff (60 s at most). */
const JUMP_MS = 61_000;
const MAX_JUMPS = 60;
const FAST_RETRY = { initialMs: 1, maxMs: 20, multiplier: 2 } as const;

/**
 * The OrderSaga end to end: start messages → relay → transport → consumer runtime (saga and
 * scripted services, each message in one unit of work) → replies, deadlines and retries through
 * the durable scheduler, on a clock the scenario moves whenever the system is quiet. Then every
 * saga must match the model of its script (see checkSaga). Throws an AssertionError otherwise.
 */
export async function runSagaScenario(options: SagaScenarioOptions): Promise<SagaScenarioReport> {
  const started = performance.now();
  const run = new SagaScenarioRun(options);
  try {
    const ids = await run.start();
    const jumps = await run.untilEnded(ids);
    await run.flushLateMessages();
    const sagas = await run.check(ids);
    return { sagas, jumps, durationMs: performance.now() - started };
  } finally {
    await run.stop();
  }
}

class SagaScenarioRun {
  private readonly namespace: string;
  private readonly clock = new ManualClock();
  private readonly tracker: SettleTracker;
  private readonly relay: OutboxRelay;
  private readonly consumer: ConsumerRuntime;

  constructor(private readonly options: SagaScenarioOptions) {
    const { store, transport } = options;
    this.namespace = options.namespace ?? `saga-${uuidv7()}`;
    this.tracker = new SettleTracker(store, this.clock.now, options.quietTimeoutMs ?? 20_000);
    const handlers = [orderSaga, ...scenarioServices(this.namespace)];
    const topic = (type: string) => `${this.namespace}.${type}`;
    this.relay = new OutboxRelay(store, {
      transport,
      topicNaming: (envelope) => topic(envelope.type),
      leaseName: `${this.namespace}.relay`,
      batchSize: 64,
      pollIntervalMs: 5,
      retryBackoff: FAST_RETRY,
      clock: this.clock.now,
      observer: { published: (rows) => this.tracker.published(rows.map((row) => row.envelope.id)) },
    });
    this.consumer = new ConsumerRuntime({
      store,
      transport,
      group: `${this.namespace}.consumer`,
      topics: [...new Set(handlers.flatMap((entry) => entry.types))].map(topic),
      handlers,
      clock: this.clock.now,
      maxConflictRetries: 10,
      subscription: {
        ackTimeoutMs: options.ackTimeoutMs ?? 2_000,
        maxDeliveries: 20,
        retryBackoff: FAST_RETRY,
      },
      middleware: transport instanceof FaultyTransport ? [crashBeforeCommit(transport)] : [],
      observer: this.tracker.consumerObserver(),
      inbox: false,
    });
  }

  /** Starts the relay and consumer and places one order per script; returns the saga ids. */
  async start(): Promise<string[]> {
    this.relay.start();
    await this.consumer.start();
    const orders = this.options.scripts.map((script, index) => {
      const orderId = `${this.namespace}-o${index + 1}`;
      return createEnvelope(
        {
          type: 'order.placed',
          data: { orderId, amount: 10 * (index + 1), script },
          subject: `order-${orderId}`,
        },
        undefined,
      );
    });
    await this.options.store.transaction((uow) => uow.enqueue(orders));
    return orders.map((order) => (order.data as { orderId: string }).orderId);
  }

  /** Jumps the clock each time the system is quiet, until every saga has ended; returns the jumps. */
  async untilEnded(ids: readonly string[]): Promise<number> {
    for (let jumps = 0; jumps < MAX_JUMPS; jumps++) {
      await this.tracker.quiet();
      const open = (await this.records(ids)).filter((record) => !isEnded(record.status));
      if (open.length === 0) return jumps;
      if ((await this.options.store.nextDueAt()) === undefined) {
        throw new Error(`sagas stuck with nothing scheduled: ${JSON.stringify(open.map(describe))}`);
      }
      this.clock.advance(JUMP_MS);
    }
    throw new Error(`sagas still running after ${MAX_JUMPS} clock jumps`);
  }

  /** Lets late replies still scheduled arrive: an ended saga acknowledges and records them. */
  async flushLateMessages(): Promise<void> {
    while ((await this.options.store.nextDueAt()) !== undefined) {
      this.clock.advance(JUMP_MS);
      await this.tracker.quiet();
    }
  }

  async check(ids: readonly string[]): Promise<SagaView<OrchestrationState>[]> {
    const records = await this.records(ids);
    const logs = await this.options.store.transaction((uow) =>
      Promise.all(ids.map((id) => uow.documents<EffectLog>(effectsCollection(this.namespace)).get(id))),
    );
    records.forEach((record, index) => {
      checkSaga(
        record,
        logs[index]?.value.entries ?? [],
        this.options.scripts[index]!,
        DEFAULT_COMPENSATION_ATTEMPTS,
      );
    });
    return records;
  }

  async stop(): Promise<void> {
    await Promise.all([this.relay.stop(), this.consumer.stop()]);
  }

  private async records(ids: readonly string[]): Promise<SagaView<OrchestrationState>[]> {
    const queries = sagaQueries(this.options.store);
    const records = await Promise.all(ids.map((id) => queries.get<OrchestrationState>(orderSaga, id)));
    return records.map((record, index) => {
      if (record === undefined) throw new Error(`saga ${ids[index]} never started`);
      return record;
    });
  }
}

function crashBeforeCommit(transport: FaultyTransport): HandlerMiddleware {
  return async (context, next) => {
    await next();
    transport.crashPoint('after the handler wrote, before commit', context.message.id);
  };
}

function describe(record: SagaView<OrchestrationState>) {
  return { id: record.id, status: record.status, timeouts: record.timeouts, last: record.history.at(-1) };
}
