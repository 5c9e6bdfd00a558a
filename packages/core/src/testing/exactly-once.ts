import { deepStrictEqual, fail } from 'node:assert/strict';
import * as E from 'fp-ts/lib/Either.js';
import type { MessageHandler } from '../consumer/handler.js';
import { ConsumerRuntime } from '../consumer/runtime.js';
import { CommandExecutor } from '../domain/execute.js';
import { uuidv7 } from '../envelope/ids.js';
import { enqueueAppendedEvents } from '../outbox/enqueue-hook.js';
import { OutboxRelay } from '../outbox/relay.js';
import type { EventStore } from '../store/contract.js';
import type { Transport } from '../transport/contract.js';
import { counter, exactlyOnceHandlers, MESSAGE_TYPES } from './exactly-once-domain.js';
import { type CrashPoint, crashBeforeCommit, withCrashAfterPublish } from './exactly-once-faults.js';
import {
  actualState,
  expectedState,
  type ScenarioState,
  type ScenarioWorkload,
  streamOf,
  violation,
} from './exactly-once-model.js';
import { FaultyTransport } from './faulty-transport.js';
import { quietPeriod, waitFor } from './wait.js';

export interface ExactlyOnceScenarioOptions {
  readonly store: EventStore;
  /** The transport under test; wrap it in a FaultyTransport to inject broker faults and crashes. */
  readonly transport: Transport;
  readonly workload: ScenarioWorkload;
  /** Where the relay and the consumer may crash; the FaultyTransport's crash points by default. */
  readonly crashPoint?: CrashPoint;
  /** Prefix of topics, group and lease, so runs sharing a broker or a store never meet. */
  readonly namespace?: string;
  /** The consumer's ack timeout: a dropped ack is redelivered after it. */
  readonly ackTimeoutMs?: number;
  /** How long to wait for quiescence before reporting what is missing. */
  readonly timeoutMs?: number;
}

export interface ExactlyOnceReport {
  readonly expected: ScenarioState;
  readonly actual: ScenarioState;
  readonly durationMs: number;
  /** Faults the FaultyTransport injected, by kind (empty for another transport). */
  readonly faults: Readonly<Record<string, number>>;
}

const FAST_RETRY = { initialMs: 1, maxMs: 20, multiplier: 2 } as const;

/**
 * Commands → outbox → relay → transport → consumer (inbox + effects) → follow-up messages and
 * scheduled reminders, under the crash plan and the restarts the workload asks for. At
 * quiescence every effect must have been applied exactly once, in order per counter, the
 * outbox and the scheduler drained: the state of a fault-free run. Throws an AssertionError otherwise.
 */
export async function runExactlyOnceScenario(
  options: ExactlyOnceScenarioOptions,
): Promise<ExactlyOnceReport> {
  const started = performance.now();
  const run = new ScenarioRun(options);
  try {
    await run.execute(options.workload);
    const expected = expectedState(options.workload);
    const actual = await run.settle(expected);
    deepStrictEqual(actual, expected, 'final state differs from the fault-free model');
    const { transport } = options;
    const faults = transport instanceof FaultyTransport ? transport.stats : {};
    return { expected, actual, durationMs: performance.now() - started, faults };
  } finally {
    await run.stop();
  }
}

class ScenarioRun {
  private readonly namespace: string;
  private readonly crashPoint: CrashPoint;
  private readonly relayStore: EventStore;
  private readonly executor: CommandExecutor;
  private readonly handlers: MessageHandler[];
  private readonly ackTimeoutMs: number;
  private relay: OutboxRelay | undefined;
  private consumer: ConsumerRuntime | undefined;

  constructor(private readonly options: ExactlyOnceScenarioOptions) {
    this.namespace = options.namespace ?? `eo-${uuidv7()}`;
    this.crashPoint = options.crashPoint ?? crashPointsOf(options.transport);
    this.relayStore = withCrashAfterPublish(options.store, this.crashPoint);
    this.executor = new CommandExecutor(options.store, {
      afterAppend: [enqueueAppendedEvents()],
      maxConflictRetries: 1_000,
      conflictBackoff: FAST_RETRY,
    });
    this.handlers = exactlyOnceHandlers((n) => (n * 7) % 30);
    this.ackTimeoutMs = options.ackTimeoutMs ?? 200;
  }

  async execute(workload: ScenarioWorkload): Promise<void> {
    this.relay = this.startRelay();
    this.consumer = await this.startConsumer();
    for (const step of workload.steps) {
      switch (step.kind) {
        case 'commands':
          await this.runCommands(step.commands);
          break;
        case 'restart-consumer':
          await this.consumer?.stop(step.hard ? 1 : 5_000);
          this.consumer = await this.startConsumer();
          break;
        case 'restart-relay':
          await this.relay?.stop();
          this.relay = this.startRelay();
          break;
        case 'pause':
          await quietPeriod(step.ms);
          break;
      }
    }
  }

  /** Waits until the state matches the model and nothing is left to publish, then a quiet period for late copies. */
  async settle(expected: ScenarioState): Promise<ScenarioState> {
    const streams = Object.keys(expected);
    const { store } = this.options;
    let last: ScenarioState = {};
    const drained = async () => {
      last = await actualState(store, streams);
      const broken = violation(last, expected);
      if (broken !== undefined) fail(`applied more than once or out of order: ${broken}`);
      const backlog = await store.outboxBacklog();
      return backlog.pending === 0 && (await store.nextDueAt()) === undefined && sameState(last, expected);
    };
    await waitFor(
      drained,
      { timeoutMs: this.options.timeoutMs ?? 30_000, intervalMs: 5 },
      () => `quiescence; expected ${JSON.stringify(expected)}, last seen ${JSON.stringify(last)}`,
    );
    await quietPeriod(this.ackTimeoutMs + 50);
    return actualState(store, streams);
  }

  async stop(): Promise<void> {
    await Promise.all([this.relay?.stop(), this.consumer?.stop()]);
  }

  private async runCommands(commands: readonly { counter: string; by: number }[]): Promise<void> {
    const results = await Promise.all(
      commands.map(({ counter: id, by }) => this.executor.execute(counter, id, { type: 'add', by })),
    );
    results.forEach((result, index) => {
      const { counter: id, by } = commands[index]!;
      if (E.isRight(result) !== by > 0) {
        fail(`command add ${by} on ${streamOf(id)}: unexpected ${JSON.stringify(result)}`);
      }
    });
  }

  private startRelay(): OutboxRelay {
    const relay = new OutboxRelay(this.relayStore, {
      transport: this.options.transport,
      topicNaming: (envelope) => `${this.namespace}.${envelope.type}`,
      leaseName: `${this.namespace}.relay`,
      leaseTtlMs: 2_000,
      batchSize: 16,
      pollIntervalMs: 20,
      retryBackoff: FAST_RETRY,
      drainTimeoutMs: 1_000,
    });
    relay.start();
    return relay;
  }

  private async startConsumer(): Promise<ConsumerRuntime> {
    const consumer = new ConsumerRuntime({
      store: this.options.store,
      transport: this.options.transport,
      group: `${this.namespace}.consumer`,
      topics: MESSAGE_TYPES.map((type) => `${this.namespace}.${type}`),
      handlers: this.handlers,
      subscription: {
        ackTimeoutMs: this.ackTimeoutMs,
        maxDeliveries: 100,
        maxInFlight: 8,
        retryBackoff: FAST_RETRY,
      },
      middleware: [crashBeforeCommit(this.crashPoint)],
      inbox: false,
    });
    await consumer.start();
    return consumer;
  }
}

function crashPointsOf(transport: Transport): CrashPoint {
  if (transport instanceof FaultyTransport) return (point, key) => transport.crashPoint(point, key);
  return () => {};
}

function sameState(actual: ScenarioState, expected: ScenarioState): boolean {
  return JSON.stringify(actual) === JSON.stringify(expected);
}
