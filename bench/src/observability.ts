import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import {
  CommandExecutor,
  ConsumerRuntime,
  createMemoryBroker,
  createMemoryStore,
  createMemoryTransport,
  decider,
  enqueueAppendedEvents,
  type Hooks,
  handler,
  OutboxRelay,
  observability,
} from '@eventloom/core';
import * as api from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, BatchSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import * as E from 'fp-ts/lib/Either.js';
import { type Measurement, measure, runConcurrently } from './measure.js';

type Counted = { type: 'counter.counted'; data: { by: number } };
const counter = decider<{ type: 'count' }, Counted, null>({
  name: 'counter',
  eventTypes: { 'counter.counted': true },
  initialState: () => null,
  evolve: (state) => state,
  decide: () => E.right([{ type: 'counter.counted', data: { by: 1 } }]),
});

const EVENTS = 10_000;
const STREAMS = 1_000;
const CONCURRENCY = 100;
const ROUNDS = 3;

/** Spans are made, sampled and batched as in production, then dropped instead of sent. */
const discard: SpanExporter = {
  export: (_spans, done) => done({ code: 0 }),
  shutdown: async () => {},
};

class NeverCollected extends MetricReader {
  protected async onShutdown(): Promise<void> {}
  protected async onForceFlush(): Promise<void> {}
}

interface Variant {
  readonly name: string;
  readonly options?: () => Parameters<typeof observability>[0];
  /** Registers the AsyncLocalStorage context manager, as any OpenTelemetry SDK setup does. */
  readonly contextManager?: boolean;
}

const discardingLogger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  child: () => discardingLogger,
};

const VARIANTS: readonly Variant[] = [
  { name: 'off (no hooks)' },
  { name: 'off, OpenTelemetry context manager on', contextManager: true },
  { name: 'hooks on, no SDK behind the API', options: () => ({}) },
  { name: 'metrics (SDK)', options: () => ({ tracing: false, meterProvider: meterProvider() }) },
  {
    name: 'tracing (SDK, every span sampled)',
    contextManager: true,
    options: () => ({ metrics: false, tracerProvider: tracerProvider() }),
  },
  {
    name: 'tracing + metrics (SDK)',
    contextManager: true,
    options: () => ({ tracerProvider: tracerProvider(), meterProvider: meterProvider() }),
  },
  {
    name: 'logs (a logger that discards)',
    options: () => ({ tracing: false, metrics: false, logger: discardingLogger }),
  },
];

function tracerProvider(): BasicTracerProvider {
  return new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(discard)] });
}

function meterProvider(): MeterProvider {
  return new MeterProvider({ readers: [new NeverCollected()] });
}

/** One variant's throughput, in this thread. */
async function runVariant(variant: Variant): Promise<number> {
  if (variant.contextManager) {
    api.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    api.context.with(api.context.active(), () => undefined);
  }
  const obs = variant.options === undefined ? undefined : await observability(variant.options());
  const { perSecond } = await pipeline(variant.name, obs ?? {});
  obs?.close();
  return perSecond;
}

/** command → outbox → relay → memory transport → consumer (inbox claim + a document) → ack, on the memory store. */
async function pipeline(label: string, hooks: Partial<Hooks>): Promise<Measurement> {
  const store = createMemoryStore();
  const transport = createMemoryTransport({ broker: createMemoryBroker({ maxPendingPerGroup: 1_024 }) });
  const executor = new CommandExecutor(store, { afterAppend: [enqueueAppendedEvents()], ...hooks.executor });
  let handled = 0;
  let finish = () => {};
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const totals = handler<Counted>({
    consumer: 'bench.totals',
    types: ['counter.counted'],
    async handle(message, { uow }) {
      const documents = uow.documents<number>('totals');
      const id = message.subject ?? '?';
      await documents.put(id, ((await documents.get(id))?.value ?? 0) + message.data.by);
      if (++handled === EVENTS) finish();
    },
  });
  const relay = new OutboxRelay(store, { transport, batchSize: 1_000, pollIntervalMs: 50, ...hooks.relay });
  const consumer = new ConsumerRuntime({
    store,
    transport,
    executor,
    group: 'bench',
    handlers: [totals],
    subscription: { maxInFlight: 256, ackTimeoutMs: 120_000 },
    inbox: false,
    ...hooks.consumer,
  });
  relay.start();
  await consumer.start();
  const measured = await measure(label, EVENTS, async () => {
    await runConcurrently(EVENTS, CONCURRENCY, async (i) => {
      const result = await executor.execute(counter, String(i % STREAMS), { type: 'count' });
      if (E.isLeft(result)) throw new Error(`unexpected ${result.left.kind}`);
    });
    await finished;
  });
  await relay.stop();
  await consumer.stop();
  await transport.close();
  return measured;
}

export interface OverheadRow {
  readonly case: string;
  readonly perSecond: number;
  /** Throughput relative to `off`. */
  readonly ratio: number;
}

/**
 * Runs one variant in a fresh thread: an async-context hook that one variant enables (every
 * AsyncLocalStorage does, on Node 20) would otherwise slow every variant after it.
 */
function inFreshThread(variant: Variant): Promise<number> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), {
      workerData: { observabilityVariant: variant.name },
    });
    worker.once('message', (perSecond: number) => {
      resolve(perSecond);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

if (!isMainThread && typeof workerData?.observabilityVariant === 'string') {
  const variant = VARIANTS.find((candidate) => candidate.name === workerData.observabilityVariant);
  parentPort?.postMessage(await runVariant(variant!));
}

/** End-to-end throughput with observability off and on: the best of ROUNDS interleaved runs each. */
export async function benchObservability(): Promise<OverheadRow[]> {
  const best = new Map<string, number>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const variant of VARIANTS) {
      const perSecond = await inFreshThread(variant);
      best.set(variant.name, Math.max(best.get(variant.name) ?? 0, perSecond));
    }
  }
  const off = best.get(VARIANTS[0]!.name)!;
  const rows = VARIANTS.map(({ name }) => ({
    case: name,
    perSecond: best.get(name)!,
    ratio: best.get(name)! / off,
  }));
  console.log(
    `\nObservability overhead, end to end on the memory store + memory transport (${EVENTS} events)`,
  );
  for (const row of rows) {
    console.log(
      row.case.padEnd(40),
      Math.round(row.perSecond).toString().padStart(10),
      '/s',
      row.ratio.toFixed(2).padStart(6),
    );
  }
  return rows;
}
