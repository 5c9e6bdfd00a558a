import { fullJitterDelay } from '../../common/backoff.js';
import { derivedFraction } from '../ids.js';
import type { OrchestrationStep } from './definition.js';
import type { TransitionDraft } from './draft.js';

/**
 * Sends the next compensations in order. One that awaits a confirmation stops here; one that
 * does not counts as done once sent. With nothing left, the saga ends `compensated`.
 */
export function continueCompensation<Data>(draft: TransitionDraft<Data>): void {
  while (draft.state.pending.length > 0) {
    const step = currentCompensation(draft);
    sendCompensation(draft, step);
    if (step.compensatedBy !== undefined) return;
    markCompensated(draft, step.name);
  }
  const failure = draft.state.failure;
  draft.end('compensated', failure === undefined ? undefined : `${failure.step} failed: ${failure.reason}`);
}

/** The current compensation is confirmed: go on with the next one. */
export function confirmCompensation<Data>(draft: TransitionDraft<Data>): void {
  const step = currentCompensation(draft);
  draft.cancelTimer('compensation', step.name);
  draft.cancelTimer('retry', step.name);
  draft.note(`${step.name}: compensated`);
  markCompensated(draft, step.name);
  continueCompensation(draft);
}

/** The current compensation failed: retry it after a backoff, or end `failed` when out of attempts. */
export function failCompensation<Data>(draft: TransitionDraft<Data>, reason: string): void {
  const step = currentCompensation(draft);
  const { attempt, failure } = draft.state;
  draft.cancelTimer('compensation', step.name);
  if (attempt >= draft.plan.maxAttempts) {
    const cause =
      failure === undefined ? '' : ` (compensating after ${failure.step} failed: ${failure.reason})`;
    draft.note(`${step.name}: compensation failed for good (${reason})`);
    draft.end('failed', `compensation of ${step.name} failed ${attempt} times, last: ${reason}${cause}`);
    return;
  }
  // Jitter fixed by the failure's message id: a re-run of this transition picks the same delay.
  const jitter = 0.5 + 0.5 * derivedFraction(draft.context.message.id);
  const delayMs = fullJitterDelay(attempt, draft.plan.backoff, () => jitter);
  draft.setTimer('retry', step.name, delayMs);
  draft.state = { ...draft.state, awaitingRetry: true };
  draft.note(`${step.name}: compensation attempt ${attempt} failed (${reason}); retry in ${delayMs} ms`);
}

/** The retry timer of the current compensation fired: send it again. */
export function retryCompensation<Data>(draft: TransitionDraft<Data>): void {
  sendCompensation(draft, currentCompensation(draft));
}

export function currentCompensation<Data>(draft: TransitionDraft<Data>): OrchestrationStep<Data> {
  return draft.stepNamed(draft.state.pending[0] ?? '');
}

function sendCompensation<Data>(draft: TransitionDraft<Data>, step: OrchestrationStep<Data>): void {
  const sent = draft.send(step.compensate!);
  const attempt = draft.state.attempt + 1;
  draft.state = { ...draft.state, attempt, awaitingRetry: false };
  if (step.compensatedBy !== undefined) {
    draft.setTimer('compensation', step.name, step.compensationTimeoutMs ?? step.timeoutMs);
  }
  draft.note(`${step.name}: sent ${sent} (attempt ${attempt})`);
}

function markCompensated<Data>(draft: TransitionDraft<Data>, name: string): void {
  const { pending, compensated } = draft.state;
  draft.state = {
    ...draft.state,
    pending: pending.slice(1),
    compensated: [...compensated, name],
    attempt: 0,
    awaitingRetry: false,
  };
}
