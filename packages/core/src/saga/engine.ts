import type { HandlerContext, MessageOf } from '../consumer/handler.js';
import type { DomainEvent } from '../domain/decider.js';
import type { EnvelopeInit } from '../envelope/create.js';
import type { Envelope } from '../envelope/envelope.js';
import { InvalidInputError } from '../errors.js';
import type { DocumentCollection } from '../store/contract.js';
import { isEnded, type SagaDefinition, type SagaStatus, type SagaTransition } from './definition.js';
import { derivedId } from './ids.js';
import { reportTransition, sagaObserverOf } from './observer.js';
import { MAX_TIMERS, planTransition, type SagaPlan } from './plan.js';
import {
  recordsCollection,
  type SagaHistoryEntry,
  type SagaRecord,
  statusIndexCollection,
  statusIndexId,
  withHistory,
} from './record.js';
import { readTimer, sagaTimeoutType, TimerWriter } from './timers.js';

/** The alert every saga that ends `failed` raises, so that no failure goes unnoticed. */
export const SAGA_FAILED_TYPE = 'eventloom.saga.failed';

export interface SagaFailedAlert {
  readonly saga: string;
  readonly sagaId: string;
  readonly reason: string;
  readonly at: string;
}

/**
 * Runs a saga inside a handler's unit of work: load the instance, let the saga decide, then
 * write its sends, timers, history and new state — all committed with the inbox claim. The
 * version check on the instance turns a concurrent writer into a conflict, and the runtime
 * runs the message again.
 */
export class SagaEngine<State, Message extends DomainEvent> {
  private readonly timeoutType: string;

  constructor(
    private readonly definition: SagaDefinition<State, Message>,
    private readonly historyLimit: number,
  ) {
    this.timeoutType = sagaTimeoutType(definition.name);
  }

  async handle(message: Envelope, context: HandlerContext): Promise<void> {
    const observer = sagaObserverOf(context);
    const started = observer === undefined ? 0 : performance.now();
    const sagaId = this.correlate(message);
    if (sagaId === undefined) return;
    const records = context.uow.documents<SagaRecord<State>>(recordsCollection(this.definition.name));
    const stored = await records.get(sagaId);
    const now = context.now();
    const plan = planTransition(this.definition, stored?.value, message, sagaId, now);
    if (plan === undefined) return;
    const next = await this.apply(plan, context, now);
    await this.indexStatus(context, sagaId, stored?.value.status, next.status, now);
    await records.put(sagaId, next, stored?.version ?? 0);
    if (observer === undefined) return;
    reportTransition(observer, {
      saga: this.definition.name,
      sagaId,
      from: stored?.value.status,
      to: next.status,
      outcome: plan.outcome,
      message,
      sent: next.history.at(-1)?.sent?.length ?? 0,
      durationMs: performance.now() - started,
    });
  }

  private correlate(message: Envelope): string | undefined {
    if (message.type === this.timeoutType) return readTimer(message, this.definition.name).sagaId;
    const sagaId = this.definition.correlate(message as MessageOf<Message>);
    if (sagaId === undefined || (typeof sagaId === 'string' && sagaId.length > 0)) return sagaId;
    throw new InvalidInputError(
      `saga '${this.definition.name}' correlate`,
      `must return a non-empty string or undefined for '${message.type}', got ${String(sagaId)}`,
    );
  }

  private async apply(plan: SagaPlan<State>, context: HandlerContext, now: Date): Promise<SagaRecord<State>> {
    const { record, outcome, transition } = plan;
    const entry = {
      at: now.toISOString(),
      messageId: context.message.id,
      type: context.message.type,
      outcome,
    };
    if (transition === undefined) {
      return withHistory(record, { ...entry, status: record.status }, this.historyLimit);
    }
    const status = transition.status ?? record.status;
    const timeouts = await this.writeTimers(record, transition, status, context);
    const sent = await context.send(...this.outgoing(record, transition, status, context.message, now));
    const next: SagaRecord<State> = {
      ...record,
      state: transition.state,
      status,
      timeouts,
      ...(transition.reason === undefined ? {} : { reason: transition.reason }),
      ...(isEnded(status) ? { endedAt: entry.at } : {}),
    };
    const history: SagaHistoryEntry = {
      ...entry,
      status,
      ...(transition.note === undefined ? {} : { note: transition.note }),
      ...(sent.length === 0 ? {} : { sent: sent.map(({ id, type }) => ({ id, type })) }),
    };
    return withHistory(next, history, this.historyLimit);
  }

  /** Cancels and sets timers; an end status cancels every timer still set. */
  private async writeTimers(
    record: SagaRecord<State>,
    transition: SagaTransition<State>,
    status: SagaStatus,
    context: HandlerContext,
  ): Promise<SagaRecord['timeouts']> {
    const timers = new TimerWriter(this.definition.name, record.id, context, record.timeouts);
    for (const name of transition.cancel ?? []) await timers.cancel(name);
    if (isEnded(status)) {
      if ((transition.schedule ?? []).length > 0) {
        throw new InvalidInputError(
          `saga '${record.saga}' transition.schedule`,
          `cannot set timers as it ends ${status}`,
        );
      }
      await timers.cancelAll();
      return timers.current;
    }
    for (const request of transition.schedule ?? []) await timers.set(request);
    if (Object.keys(timers.current).length > MAX_TIMERS) {
      throw new InvalidInputError(
        `saga '${record.saga}' transition.schedule`,
        `more than ${MAX_TIMERS} timers set`,
      );
    }
    return timers.current;
  }

  /** The transition's messages with ids derived from the causing message, plus the alert of a failure. */
  private outgoing(
    record: SagaRecord<State>,
    transition: SagaTransition<State>,
    status: SagaStatus,
    cause: Envelope,
    now: Date,
  ): EnvelopeInit[] {
    const { saga, id: sagaId } = record;
    const messages: EnvelopeInit[] = (transition.send ?? []).map((message, index) => ({
      subject: sagaId,
      partitionkey: sagaId,
      ...message,
      id: derivedId(saga, cause.id, 'send', index),
      time: now,
    }));
    if (status === 'failed') {
      const reason = transition.reason ?? 'no reason given';
      const alert: SagaFailedAlert = { saga, sagaId, reason, at: now.toISOString() };
      messages.push({
        type: SAGA_FAILED_TYPE,
        data: alert,
        id: derivedId(saga, cause.id, 'alert'),
        subject: sagaId,
        partitionkey: sagaId,
        time: now,
      });
    }
    return messages;
  }

  /** Keeps `<status>/<saga id>` in step with the instance's status, for listing by status. */
  private async indexStatus(
    context: HandlerContext,
    sagaId: string,
    before: SagaStatus | undefined,
    after: SagaStatus,
    now: Date,
  ): Promise<void> {
    if (before === after) return;
    const index: DocumentCollection<{ since: string }> = context.uow.documents(
      statusIndexCollection(this.definition.name),
    );
    if (before !== undefined) await index.delete(statusIndexId(before, sagaId));
    await index.put(statusIndexId(after, sagaId), { since: now.toISOString() });
  }
}
