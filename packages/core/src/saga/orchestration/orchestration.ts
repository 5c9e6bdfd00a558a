import type { MessageOf } from '../../consumer/handler.js';
import type { DomainEvent } from '../../domain/decider.js';
import type { Envelope } from '../../envelope/envelope.js';
import type { JsonValue } from '../../envelope/json.js';
import type { Saga, SagaContext, SagaTimeout } from '../definition.js';
import { saga } from '../saga.js';
import { confirmCompensation, failCompensation, retryCompensation } from './compensation.js';
import type { OrchestrationDefinition, OrchestrationState } from './definition.js';
import { parseTimerName, TransitionDraft } from './draft.js';
import { completeStep, failStep, startStep } from './forward.js';
import { type ReplyRoute, type ResolvedOrchestration, resolveOrchestration } from './validate.js';

type Move<Data> = (draft: TransitionDraft<Data>) => void;

/**
 * An orchestrated saga from ordered steps: it sends each step's action in turn, awaits the
 * reply that completes it and, when one fails, runs the completed steps' compensations in
 * reverse order. Replies are matched to the instance by saga id (their subject by default) and
 * to the step by type.
 */
export function orchestration<Start extends DomainEvent>(
  definition: OrchestrationDefinition<Start>,
): Saga<OrchestrationState<Start['data']>> {
  const plan = resolveOrchestration(definition);
  const replyCorrelation = definition.correlate ?? ((reply: Envelope) => reply.subject);
  const run = (state: OrchestrationState<Start['data']>, context: SagaContext, move: Move<Start['data']>) => {
    const draft = new TransitionDraft(state, plan, context);
    move(draft);
    return draft.toTransition();
  };
  return saga<OrchestrationState<Start['data']>>({
    name: definition.name,
    startedBy: [definition.startedBy],
    handles: [...plan.replies.keys()],
    correlate: (message) =>
      message.type === definition.startedBy
        ? definition.sagaId(message as MessageOf<Start>)
        : replyCorrelation(message),
    initialState: (start) => initialState(start.data as Start['data']),
    on: (state, message, context) => {
      if (message.type === definition.startedBy) {
        return context.isNew ? run(state, context, (draft) => startStep(draft, 0)) : undefined;
      }
      const move = replyMove(plan, state, plan.replies.get(message.type), message);
      return move === undefined ? undefined : run(state, context, move);
    },
    onTimeout: (state, timer, context) => {
      const move = timerMove(plan, state, timer);
      return move === undefined ? undefined : run(state, context, move);
    },
    ...(definition.historyLimit === undefined ? {} : { historyLimit: definition.historyLimit }),
  });
}

export function initialState<Data>(data: Data): OrchestrationState<Data> {
  return {
    data,
    phase: 'forward',
    step: 0,
    completed: [],
    replies: {},
    pending: [],
    compensated: [],
    attempt: 0,
    awaitingRetry: false,
  };
}

/** What a reply does: only a reply about the awaited step or compensation moves the saga. */
function replyMove<Data>(
  plan: ResolvedOrchestration<Data>,
  state: OrchestrationState<Data>,
  route: ReplyRoute | undefined,
  reply: Envelope,
): Move<Data> | undefined {
  if (route === undefined) return undefined;
  if (state.phase === 'forward' && route.step === state.step) {
    if (route.kind === 'completed') return (draft) => completeStep(draft, reply.type, reply.data);
    if (route.kind === 'failed') return (draft) => failStep(draft, describeFailure(reply), false);
  }
  const awaited = state.phase === 'compensating' && plan.steps[route.step]?.name === state.pending[0];
  if (!awaited) return undefined;
  if (route.kind === 'compensated') return confirmCompensation;
  if (route.kind === 'compensation-failed' && !state.awaitingRetry) {
    return (draft) => failCompensation(draft, describeFailure(reply));
  }
  return undefined;
}

/** What a timer does; the engine only lets through timers still set, this checks they still fit. */
function timerMove<Data>(
  plan: ResolvedOrchestration<Data>,
  state: OrchestrationState<Data>,
  timer: SagaTimeout,
): Move<Data> | undefined {
  const { kind, step } = parseTimerName(timer.name);
  if (kind === 'step') {
    const awaited = state.phase === 'forward' && plan.steps[state.step]?.name === step;
    return awaited ? (draft) => failStep(draft, 'timed out', true) : undefined;
  }
  if (state.phase !== 'compensating' || state.pending[0] !== step) return undefined;
  if (kind === 'compensation' && !state.awaitingRetry) return (draft) => failCompensation(draft, 'timed out');
  if (kind === 'retry' && state.awaitingRetry) return retryCompensation;
  return undefined;
}

/** A failure reply's type, with its `reason` when its data has one. */
function describeFailure(reply: Envelope): string {
  const data = reply.data as { reason?: JsonValue } | null;
  const reason = typeof data === 'object' && data !== null ? data.reason : undefined;
  return typeof reason === 'string' ? `${reply.type}: ${reason}` : reply.type;
}
