import type {
  SagaContext,
  SagaMessage,
  SagaStatus,
  SagaTimeoutRequest,
  SagaTransition,
} from '../definition.js';
import type { OrchestrationState, OrchestrationStep, StepMessage } from './definition.js';
import type { ResolvedOrchestration } from './validate.js';

export type TimerKind = 'step' | 'compensation' | 'retry';

export const timerName = (kind: TimerKind, step: string): string => `${kind}:${step}`;

export function parseTimerName(name: string): { kind: string; step: string } {
  const colon = name.indexOf(':');
  return { kind: name.slice(0, colon), step: name.slice(colon + 1) };
}

/** A transition being built by the orchestration's moves, turned into one SagaTransition at the end. */
export class TransitionDraft<Data> {
  status: SagaStatus | undefined;
  reason: string | undefined;
  private readonly sends: SagaMessage[] = [];
  private readonly timers: SagaTimeoutRequest[] = [];
  private readonly cancels: string[] = [];
  private readonly notes: string[] = [];

  constructor(
    public state: OrchestrationState<Data>,
    readonly plan: ResolvedOrchestration<Data>,
    readonly context: SagaContext,
  ) {}

  /** The step at `index`; the definition was checked, so a miss is a bug. */
  step(index: number): OrchestrationStep<Data> {
    const step = this.plan.steps[index];
    if (step === undefined) throw new Error(`orchestration has no step ${index}`);
    return step;
  }

  stepNamed(name: string): OrchestrationStep<Data> {
    return this.step(this.plan.stepIndex.get(name) ?? -1);
  }

  send(message: StepMessage<Data>): string {
    const input = { sagaId: this.context.sagaId, data: this.state.data, replies: this.state.replies };
    const built = typeof message === 'string' ? { type: message, data: this.state.data } : message(input);
    this.sends.push(built);
    return built.type;
  }

  setTimer(kind: TimerKind, step: string, afterMs: number | undefined): void {
    if (afterMs !== undefined) this.timers.push({ name: timerName(kind, step), afterMs });
  }

  cancelTimer(kind: TimerKind, step: string): void {
    this.cancels.push(timerName(kind, step));
  }

  note(line: string): void {
    this.notes.push(line);
  }

  end(status: SagaStatus, reason?: string): void {
    this.state = { ...this.state, phase: 'done' };
    this.status = status;
    this.reason = reason;
  }

  toTransition(): SagaTransition<OrchestrationState<Data>> {
    return {
      state: this.state,
      ...(this.status === undefined ? {} : { status: this.status }),
      ...(this.reason === undefined ? {} : { reason: this.reason }),
      send: this.sends,
      schedule: this.timers,
      cancel: this.cancels,
      note: this.notes.join('; '),
    };
  }
}
