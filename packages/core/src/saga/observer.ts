import { notify } from '../common/notify.js';
import type { HandlerContext, HandlerMiddleware } from '../consumer/handler.js';
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

// Sagas are handlers defined once, at module level; their observer comes with each handler run,
// so two apps in one process each see only their own transitions.
const observers = new WeakMap<HandlerContext, SagaObserver>();

/** A handler middleware that tells `observer` of every saga transition in the runs it wraps. */
export function observeSagas(observer: SagaObserver): HandlerMiddleware {
  return (context, next) => {
    observers.set(context, observer);
    return next();
  };
}

/** The observer of the handler run `context` belongs to, if any. */
export function sagaObserverOf(context: HandlerContext): SagaObserver | undefined {
  return observers.get(context);
}

export function reportTransition(observer: SagaObserver, report: SagaTransitionReport): void {
  notify(observer.transitioned, report);
}
