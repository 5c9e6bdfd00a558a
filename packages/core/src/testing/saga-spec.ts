import { deepStrictEqual, fail } from 'node:assert/strict';
import { MessageProcessor } from '../consumer/process.js';
import { createEnvelope, type EnvelopeInit } from '../envelope/create.js';
import type { Envelope } from '../envelope/envelope.js';
import type { AnySaga, SagaStatus } from '../saga/definition.js';
import { type SagaView, sagaQueries } from '../saga/queries.js';
import type { EventStore } from '../store/contract.js';
import { createMemoryStore } from '../store/memory/index.js';
import { ManualClock } from './store-conformance-fixtures.js';

/** Moves the spec's clock on: every timer due by then fires, in due order. */
export interface Elapse {
  readonly elapseMs: number;
}
export const elapse = (ms: number): Elapse => ({ elapseMs: ms });

/** A message (an envelope, or what makes one) or the passing of time. */
export type SagaSpecStep = Envelope | EnvelopeInit | Elapse;

export interface SagaExpectation {
  /** Exactly these messages (type and data), in order, were sent while handling `when`. */
  readonly sent?: readonly { readonly type: string; readonly data: unknown }[];
  readonly state?: unknown;
  readonly status?: SagaStatus;
  /** Names of the timers set afterwards. */
  readonly timers?: readonly string[];
  /** The instance to check; the only one there is by default. */
  readonly sagaId?: string;
}

export interface SagaSpecResult {
  readonly record: SagaView<unknown>;
  readonly sent: readonly Envelope[];
}

const MAX_TIMER_ROUNDS = 100;
const OUTBOX_PAGE = 10_000;

/**
 * Given/when/then for a saga, in memory through the real consumer step (inbox claim, saga,
 * outbox in one unit of work) with a clock the spec moves:
 * `await sagaSpec(orderSaga).given(placed, elapse(30_000)).when(reply).then({ sent, state })`.
 */
export function sagaSpec(target: AnySaga, options: { readonly start?: string } = {}) {
  return {
    given: (...history: SagaSpecStep[]) => ({
      when: (step: SagaSpecStep) => new SagaThen(target, history, step, options.start),
    }),
  };
}

export class SagaThen {
  constructor(
    private readonly target: AnySaga,
    private readonly history: readonly SagaSpecStep[],
    private readonly step: SagaSpecStep,
    private readonly start: string | undefined,
  ) {}

  // biome-ignore lint/suspicious/noThenProperty: the given/when/then vocabulary is the point; call it, never await the builder
  async then(expected: SagaExpectation = {}): Promise<SagaSpecResult> {
    const run = new SagaSpecRun(this.target, this.start);
    for (const step of this.history) await run.apply(step);
    const sent = await run.apply(this.step);
    const record = await run.instance(expected.sagaId);
    const pick = (messages: readonly { type: string; data: unknown }[]) =>
      messages.map(({ type, data }) => ({ type, data }));
    if (expected.sent !== undefined) deepStrictEqual(pick(sent), pick(expected.sent), 'messages sent');
    if (expected.status !== undefined) deepStrictEqual(record.status, expected.status, 'status');
    if (expected.state !== undefined) deepStrictEqual(record.state, expected.state, 'state');
    if (expected.timers !== undefined) {
      deepStrictEqual(Object.keys(record.timeouts).sort(), [...expected.timers].sort(), 'timers set');
    }
    return { record, sent };
  }
}

/** One spec's world: a memory store, the saga as the only handler, a manual clock. */
class SagaSpecRun {
  private readonly store: EventStore = createMemoryStore();
  private readonly clock: ManualClock;
  private readonly processor: MessageProcessor;

  constructor(
    private readonly target: AnySaga,
    start: string | undefined,
  ) {
    this.clock = new ManualClock(start);
    this.processor = new MessageProcessor({ store: this.store, handlers: [target], clock: this.clock.now });
  }

  /** Runs one step; returns what the saga sent because of it. */
  async apply(step: SagaSpecStep): Promise<Envelope[]> {
    if ('elapseMs' in step) {
      this.clock.advance(step.elapseMs);
      return this.fireDueTimers();
    }
    const message = 'specversion' in step ? step : createEnvelope({ time: this.clock.now(), ...step });
    await this.processor.process(message);
    return this.takeOutbox();
  }

  async instance(sagaId: string | undefined): Promise<SagaView<unknown>> {
    const queries = sagaQueries(this.store);
    if (sagaId !== undefined)
      return (await queries.get(this.target, sagaId)) ?? fail(`no instance '${sagaId}'`);
    const all = await queries.list(this.target, { limit: 2 });
    if (all.length !== 1)
      fail(`expected one instance of '${this.target.name}', found ${all.length}: pass sagaId`);
    return all[0]!;
  }

  private async fireDueTimers(): Promise<Envelope[]> {
    const sent: Envelope[] = [];
    for (let round = 0; round < MAX_TIMER_ROUNDS; round++) {
      if ((await this.store.releaseDue(this.clock.now(), OUTBOX_PAGE)) === 0) return sent;
      for (const timer of await this.takeOutbox()) {
        await this.processor.process(timer);
        sent.push(...(await this.takeOutbox()));
      }
    }
    return fail(`timers still falling due after ${MAX_TIMER_ROUNDS} rounds`);
  }

  private async takeOutbox(): Promise<Envelope[]> {
    const rows = await this.store.pendingOutbox(OUTBOX_PAGE);
    if (rows.length > 0) await this.store.markDispatched(rows.map((row) => row.seq));
    return rows.map((row) => row.envelope);
  }
}
