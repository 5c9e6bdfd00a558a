import { deepStrictEqual, fail } from 'node:assert/strict';
import type { SagaStatus } from '../saga/definition.js';
import type { OrchestrationState } from '../saga/orchestration/definition.js';
import type { SagaView } from '../saga/queries.js';
import { type Effect, type EffectKind, ORDER_STEPS, type SagaScript } from './saga-scenario-services.js';

/** What a correct saga must end with, from its script alone (and, for a racing late reply, which side won). */
export interface ExpectedSaga {
  readonly status: SagaStatus;
  readonly completed: readonly string[];
  readonly compensated: readonly string[];
  /** Compensation commands each step's service receives (distinct ids). */
  readonly compensations: Readonly<Record<string, number>>;
  /** Action commands each step's service receives (distinct ids). */
  readonly actions: Readonly<Record<string, number>>;
}

/**
 * The fault-free model. `timedOut(step)` says whether a racing late reply lost to the step's
 * deadline: the only choice the script leaves open, read from the saga's recorded failure.
 */
export function expectedSaga(
  script: SagaScript,
  maxAttempts: number,
  timedOut: (step: string) => boolean,
): ExpectedSaga {
  const completed: string[] = [];
  const actions: Record<string, number> = {};
  let toCompensate: string[] | undefined;
  for (const [index, { name }] of ORDER_STEPS.entries()) {
    actions[name] = 1;
    const behaviour = script.actions[index] ?? 'ok';
    if (behaviour === 'reject') toCompensate = [...completed].reverse();
    else if (behaviour === 'lose-reply' || (behaviour === 'late-reply' && timedOut(name))) {
      toCompensate = [...completed, name].reverse();
    } else completed.push(name);
    if (toCompensate !== undefined) break;
  }
  if (toCompensate === undefined) {
    return { status: 'completed', completed, compensated: [], compensations: {}, actions };
  }
  const compensated: string[] = [];
  const compensations: Record<string, number> = {};
  for (const name of toCompensate) {
    const failures = script.compensationFailures[ORDER_STEPS.findIndex((step) => step.name === name)] ?? 0;
    compensations[name] = Math.min(failures + 1, maxAttempts);
    if (failures >= maxAttempts) return { status: 'failed', completed, compensated, compensations, actions };
    compensated.push(name);
  }
  return { status: 'compensated', completed, compensated, compensations, actions };
}

/** Asserts one saga's record and its services' effects against the model and the business invariants. */
export function checkSaga(
  record: SagaView<OrchestrationState>,
  effects: readonly Effect[],
  script: SagaScript,
  maxAttempts: number,
): void {
  const failure = record.state.failure;
  const timedOut = (step: string) => failure?.step === step && failure.reason === 'timed out';
  const expected = expectedSaga(script, maxAttempts, timedOut);
  const where = `saga ${record.id} (script ${JSON.stringify(script)})`;
  const actual = {
    status: record.status,
    completed: record.state.completed,
    compensated: record.state.compensated,
    compensations: countBySteps(effects, [
      'undone',
      'nothing-to-undo',
      'already-undone',
      'compensation-failed',
    ]),
    actions: countBySteps(effects, ['applied', 'refused']),
  };
  deepStrictEqual(actual, expected, `${where}: outcome differs from the model`);
  deepStrictEqual(record.timeouts, {}, `${where}: timers left set after the end`);
  const alerts = effects.filter((effect) => effect.kind === 'alert').length;
  deepStrictEqual(alerts, expected.status === 'failed' ? 1 : 0, `${where}: saga-failed alerts`);
  checkNetEffect(effects, expected.status, where);
  checkDistinctSends(record, where);
}

/** Completed: every action applied, none undone. Compensated: every applied action undone, in reverse order. */
function checkNetEffect(effects: readonly Effect[], status: SagaStatus, where: string): void {
  const applied = stepsWith(effects, 'applied');
  const undone = stepsWith(effects, 'undone');
  if (status === 'completed') {
    deepStrictEqual(
      { applied, undone },
      { applied: ORDER_STEPS.map((step) => step.name), undone: [] },
      where,
    );
  }
  if (status === 'compensated')
    deepStrictEqual(undone, [...applied].reverse(), `${where}: applied actions not undone`);
}

/** No message id twice among everything the saga sent. */
function checkDistinctSends(record: SagaView<OrchestrationState>, where: string): void {
  if (record.historyDropped > 0) fail(`${where}: history was truncated, cannot check the sends`);
  const ids = record.history.flatMap((entry) => entry.sent ?? []).map((message) => message.id);
  deepStrictEqual(new Set(ids).size, ids.length, `${where}: a message id was sent twice`);
}

function stepsWith(effects: readonly Effect[], kind: EffectKind): string[] {
  return effects.filter((effect) => effect.kind === kind).map((effect) => effect.step);
}

/** Distinct commands per step among effects of these kinds (steps with none left out). */
function countBySteps(effects: readonly Effect[], kinds: readonly EffectKind[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const effect of effects) {
    if (kinds.includes(effect.kind)) counts[effect.step] = (counts[effect.step] ?? 0) + 1;
  }
  return counts;
}
