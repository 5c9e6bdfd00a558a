import type { JsonValue } from '../../envelope/json.js';
import { continueCompensation } from './compensation.js';
import type { TransitionDraft } from './draft.js';

/** Sends the action of step `index` and sets its deadline. */
export function startStep<Data>(draft: TransitionDraft<Data>, index: number): void {
  const step = draft.step(index);
  draft.state = { ...draft.state, phase: 'forward', step: index };
  const sent = draft.send(step.send);
  draft.setTimer('step', step.name, step.timeoutMs);
  draft.note(`${step.name}: sent ${sent}`);
}

/** The awaited step's completion reply: record it, then start the next step or complete the saga. */
export function completeStep<Data>(draft: TransitionDraft<Data>, replyType: string, reply: JsonValue): void {
  const { state } = draft;
  const step = draft.step(state.step);
  draft.cancelTimer('step', step.name);
  draft.state = {
    ...state,
    completed: [...state.completed, step.name],
    replies: { ...state.replies, [step.name]: reply },
  };
  draft.note(`${step.name}: completed by ${replyType}`);
  if (state.step + 1 < draft.plan.steps.length) startStep(draft, state.step + 1);
  else draft.end('completed');
}

/**
 * The awaited step failed: compensate the completed steps in reverse order. A step that timed
 * out may have taken effect, so it is compensated too, first.
 */
export function failStep<Data>(draft: TransitionDraft<Data>, reason: string, timedOut: boolean): void {
  const { state } = draft;
  const step = draft.step(state.step);
  if (!timedOut) draft.cancelTimer('step', step.name);
  const undo = [...state.completed, ...(timedOut ? [step.name] : [])]
    .reverse()
    .filter((name) => draft.stepNamed(name).compensate !== undefined);
  draft.state = {
    ...state,
    phase: 'compensating',
    failure: { step: step.name, reason },
    pending: undo,
    attempt: 0,
    awaitingRetry: false,
  };
  draft.status = 'compensating';
  draft.note(`${step.name}: failed (${reason}); to compensate: ${undo.join(', ') || 'nothing'}`);
  continueCompensation(draft);
}
