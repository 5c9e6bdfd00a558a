import * as E from 'fp-ts/lib/Either.js';
import type { ExecuteResult } from '../domain/execute.js';

export type CommandOutcome = 'accepted' | 'rejected' | 'conflict';

export function commandOutcome(result: ExecuteResult<unknown>): CommandOutcome {
  if (E.isRight(result)) return 'accepted';
  return result.left.kind === 'conflict' ? 'conflict' : 'rejected';
}
