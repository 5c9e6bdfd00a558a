import { type HandlerContext, handler, type MessageHandler } from '../consumer/handler.js';
import type { Envelope } from '../envelope/envelope.js';
import { SAGA_FAILED_TYPE, type SagaFailedAlert } from '../saga/engine.js';
import { replyTo } from '../saga/reply.js';
import { orderSagaDefinition } from './saga-order.js';

/**
 * The services the OrderSaga talks to, scripted per saga instance: each step's service applies
 * its action or refuses it, replies at once, late, twice or never, fails its compensation a
 * set number of times, and keeps a tombstone so an action arriving after its compensation is
 * refused. Every command received is logged, per saga, in commit order.
 */

export type ActionBehaviour = 'ok' | 'reject' | 'lose-reply' | 'late-reply' | 'duplicate-reply';

export interface SagaScript {
  /** Per step: what its service does with the action. */
  readonly actions: readonly ActionBehaviour[];
  /** Per step: how many times its compensation fails before it succeeds. */
  readonly compensationFailures: readonly number[];
  /** A late reply falls due this far from the step's deadline (−1, 0 or +1 ms): it races the timer. */
  readonly lateOffsetMs: number;
}

export interface ScenarioOrder {
  readonly orderId: string;
  readonly amount: number;
  readonly script: SagaScript;
}

export type EffectKind =
  | 'applied'
  | 'refused'
  | 'undone'
  | 'nothing-to-undo'
  | 'already-undone'
  | 'compensation-failed'
  | 'alert';

export interface Effect {
  readonly step: string;
  readonly kind: EffectKind;
  readonly messageId: string;
}

export interface EffectLog {
  readonly entries: readonly Effect[];
}

export interface StepVocabulary {
  readonly name: string;
  readonly action: string;
  readonly done: string;
  readonly refused: string;
  readonly compensation: string;
  readonly compensated: string;
  readonly compensationFailed: string;
  readonly timeoutMs: number;
}

/** The message types of each step, read from the OrderSaga's definition. */
export const ORDER_STEPS: readonly StepVocabulary[] = orderSagaDefinition.steps.map((step) => ({
  name: step.name,
  action: step.send as string,
  done: step.completedBy as string,
  refused: step.failedBy as string,
  compensation: step.compensate as string,
  compensated: step.compensatedBy as string,
  compensationFailed: step.compensationFailedBy as string,
  timeoutMs: step.timeoutMs ?? 0,
}));

export const effectsCollection = (namespace: string): string => `${namespace}.saga-effects`;

/** One handler per step's service, plus one that records the saga-failed alerts. */
export function scenarioServices(namespace: string): MessageHandler[] {
  const services = ORDER_STEPS.map((step, index) =>
    handler({
      consumer: `${namespace}.service.${step.name}`,
      types: [step.action, step.compensation],
      handle: (message, context) =>
        logEffect(namespace, message.subject ?? '', context, (log) =>
          message.type === step.action
            ? act(step, index, message, log, context)
            : compensate(step, index, message, log, context),
        ),
    }),
  );
  const alerts = handler({
    consumer: `${namespace}.alerts`,
    types: [SAGA_FAILED_TYPE],
    handle: (message, context) =>
      logEffect(namespace, (message.data as unknown as SagaFailedAlert).sagaId, context, async () => ({
        step: '-',
        kind: 'alert',
        messageId: message.id,
      })),
  });
  return [...services, alerts];
}

async function logEffect(
  namespace: string,
  sagaId: string,
  context: HandlerContext,
  effect: (log: EffectLog) => Promise<Effect>,
): Promise<void> {
  const documents = context.uow.documents<EffectLog>(effectsCollection(namespace));
  const log = (await documents.get(sagaId))?.value ?? { entries: [] };
  await documents.put(sagaId, { entries: [...log.entries, await effect(log)] });
}

const has = (log: EffectLog, step: string, kind: EffectKind) =>
  log.entries.some((entry) => entry.step === step && entry.kind === kind);

async function act(
  step: StepVocabulary,
  index: number,
  message: Envelope,
  log: EffectLog,
  context: HandlerContext,
): Promise<Effect> {
  const { script } = message.data as unknown as ScenarioOrder;
  const behaviour = script.actions[index] ?? 'ok';
  const refused = behaviour === 'reject' || has(log, step.name, 'nothing-to-undo');
  const effect = { step: step.name, messageId: message.id, kind: refused ? 'refused' : 'applied' } as const;
  if (refused) {
    await context.send(replyTo(message, { type: step.refused, data: { reason: 'refused' } }));
    return effect;
  }
  const done = replyTo(message, { type: step.done, data: { by: step.name } });
  if (behaviour === 'ok') await context.send(done);
  if (behaviour === 'duplicate-reply') await context.send(done, done);
  if (behaviour === 'late-reply') {
    await context.schedule({ message: done, afterMs: step.timeoutMs + script.lateOffsetMs });
  }
  return effect;
}

async function compensate(
  step: StepVocabulary,
  index: number,
  message: Envelope,
  log: EffectLog,
  context: HandlerContext,
): Promise<Effect> {
  const { script } = message.data as unknown as ScenarioOrder;
  const failedSoFar = log.entries.filter(
    (e) => e.step === step.name && e.kind === 'compensation-failed',
  ).length;
  const effect = (kind: EffectKind): Effect => ({ step: step.name, kind, messageId: message.id });
  if (failedSoFar < (script.compensationFailures[index] ?? 0)) {
    await context.send(replyTo(message, { type: step.compensationFailed, data: { reason: 'scripted' } }));
    return effect('compensation-failed');
  }
  await context.send(replyTo(message, { type: step.compensated, data: {} }));
  if (!has(log, step.name, 'applied')) return effect('nothing-to-undo');
  return effect(has(log, step.name, 'undone') ? 'already-undone' : 'undone');
}
