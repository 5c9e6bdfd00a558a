import type { MessageContext } from '../envelope/envelope.js';
import type { StoredEvent } from '../store/contract.js';
import type { DomainCommand } from './decider.js';
import type { ExecuteResult } from './execute.js';

/** A command on its way through the executor. */
export interface CommandInfo {
  readonly decider: string;
  readonly streamId: string;
  readonly command: DomainCommand;
  /** The conversation its events join. */
  readonly context: MessageContext;
}

/**
 * Wraps one command — every conflict retry of it, or the one attempt inside a handler's unit of
 * work: tracing spans, logging, timing.
 */
export type CommandMiddleware = <State>(
  command: CommandInfo,
  next: () => Promise<ExecuteResult<State>>,
) => Promise<ExecuteResult<State>>;

/** What the executor reports as it works (each hook optional and synchronous; one that throws is ignored). */
export interface CommandObserver {
  /** The events were appended in the command's unit of work (it commits after). */
  readonly appended?: (streamId: string, events: readonly StoredEvent[], durationMs: number) => void;
}
