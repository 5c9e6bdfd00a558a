import { AsyncLocalStorage } from 'node:async_hooks';
import { notify } from '../common/notify.js';
import type { Envelope } from '../envelope/envelope.js';
import type { SagaStatus } from './definition.js';
import type { SagaOutcome } from './record.js';

/** What one message did to one saga instance, written in the handler's unit of work (not yet committed). */
export interface SagaTransitionReport {
  readonly saga: string;
  readonly sagaId: string;
  /** Undefined when the message started the instance. */
  readonly from: SagaStatus | undefined;
  readonly to: SagaStatus;
  readonly outcome: SagaOutcome;
  readonly message: Envelope;
  /** Messages the transition sent. */
  readonly sent: number;
  readonly durationMs: number;
}

export interface SagaObserver {
  readonly transitioned?: (report: SagaTransitionReport) => void;
}

// Sagas are handlers defined once at module level; the observer comes from the handler run
// (its middleware), so two apps in one process each see only their own sagas.
const observers = new AsyncLocalStorage<SagaObserver>();

/** Runs `work` (a handler run) with `observer` told of every saga transition inside it. */
export function observeSagas<T>(observer: SagaObserver, work: () => T): T {
  return observers.run(observer, work);
}

/** The observer of the handler run in progress, if any. */
export function sagaObserver(): SagaObserver | undefined {
  return observers.getStore();
}

export function reportTransition(observer: SagaObserver, report: SagaTransitionReport): void {
  notify(observer.transitioned, report);
}
