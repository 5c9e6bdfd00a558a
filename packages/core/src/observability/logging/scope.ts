import { AsyncLocalStorage } from 'node:async_hooks';
import type { LogFields, Logger } from './logger.js';

/**
 * The logger of the work in progress: a child carrying the ids of the message or command being
 * handled, inherited by everything that work awaits.
 */
export class LogScope {
  private readonly scoped = new AsyncLocalStorage<Logger>();

  constructor(private readonly base: Logger) {}

  /** True inside `run`: the current logger already carries the ids of the work in progress. */
  get active(): boolean {
    return this.scoped.getStore() !== undefined;
  }

  get current(): Logger {
    return this.scoped.getStore() ?? this.base;
  }

  /** Runs `work` with a child of the current logger bound to `bindings`. */
  run<T>(bindings: LogFields, work: (logger: Logger) => T): T {
    const child = this.current.child(bindings);
    return this.scoped.run(child, () => work(child));
  }

  /** A Logger that always writes through the current scope's logger. */
  logger(): Logger {
    return {
      debug: (fields, message) => this.current.debug(fields, message),
      info: (fields, message) => this.current.info(fields, message),
      warn: (fields, message) => this.current.warn(fields, message),
      error: (fields, message) => this.current.error(fields, message),
      child: (bindings) => this.current.child(bindings),
    };
  }
}
