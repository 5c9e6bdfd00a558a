import type { Instrumentation } from '../instrumentation.js';
import { commandLogging } from './commands.js';
import { consumerLogging } from './consumer.js';
import type { Logger } from './logger.js';
import { relayLogging } from './relay.js';
import { LogScope } from './scope.js';

export interface LoggingParts {
  readonly instrumentation: readonly Instrumentation[];
  /** Writes through the logger of the work in progress: the ids of its message or command. */
  readonly logger: Logger;
}

export function logging(base: Logger): LoggingParts {
  const scope = new LogScope(base);
  return {
    instrumentation: [commandLogging(scope), relayLogging(scope), consumerLogging(scope)],
    logger: scope.logger(),
  };
}
