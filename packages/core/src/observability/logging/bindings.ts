import type { CommandInfo } from '../../domain/observer.js';
import type { Envelope } from '../../envelope/envelope.js';
import type { LogFields } from './logger.js';

/** The ids every line about a message carries. */
export function messageBindings(message: Envelope): LogFields {
  return {
    correlationId: message.correlationid,
    causationId: message.causationid ?? null,
    messageId: message.id,
    messageType: message.type,
  };
}

/**
 * What every line about a command carries: its conversation's ids, unless it runs inside the
 * handling of a message (whose lines already carry them), and which command it is.
 */
export function commandBindings(info: CommandInfo, insideMessage: boolean): LogFields {
  const { decider, streamId, command, context } = info;
  const which = { decider, streamId, commandType: command.type };
  if (insideMessage) return which;
  return { correlationId: context.correlationid, causationId: context.causationid ?? null, ...which };
}

export function errorFields(error: unknown): LogFields {
  return error instanceof Error ? { err: error } : { err: String(error) };
}
