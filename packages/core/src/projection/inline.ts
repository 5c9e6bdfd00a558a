import type { AppendHook } from '../domain/execute.js';
import { type AnyProjection, applyIfHandled, validateProjection } from './projection.js';

/** An AppendHook for `CommandExecutor`: the projection's writes commit with the append, or neither does. */
export function inlineProjection(target: AnyProjection): AppendHook {
  validateProjection(target);
  return async (uow, events) => {
    for (const event of events) await applyIfHandled(target, event, uow);
  };
}
