import * as E from 'fp-ts/lib/Either.js';
import type { ExecuteResult } from '../../domain/execute.js';
import type { Instrumentation } from '../instrumentation.js';
import { commandBindings, errorFields } from './bindings.js';
import type { Logger } from './logger.js';
import type { LogScope } from './scope.js';

/** Every line written while a command runs carries its ids; one line tells how it ended. */
export function commandLogging(scope: LogScope): Instrumentation {
  return {
    command: (info, next) =>
      scope.run(commandBindings(info, scope.active), async (logger) => {
        try {
          const result = await next();
          logOutcome(logger, result);
          return result;
        } catch (error) {
          logger.error(errorFields(error), 'command failed');
          throw error;
        }
      }),
  };
}

function logOutcome(logger: Logger, result: ExecuteResult<unknown>): void {
  if (E.isRight(result)) {
    logger.debug({ version: result.right.version, events: result.right.events.length }, 'command accepted');
  } else if (result.left.kind === 'conflict') {
    logger.warn({ attempts: result.left.attempts }, 'command conflicted');
  } else {
    logger.info({ reason: result.left.reason }, 'command rejected');
  }
}
