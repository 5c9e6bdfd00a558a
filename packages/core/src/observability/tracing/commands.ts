import type { CommandInfo } from '../../domain/observer.js';
import type { StoredEvent } from '../../store/contract.js';
import { EVENTLOOM, MESSAGING } from '../attributes.js';
import { commandOutcome } from '../command-outcome.js';
import type { Instrumentation } from '../instrumentation.js';
import { finishedSpan, inSpan, type Tracing } from './spans.js';

/** A span per command (`execute <decider>`), active while it runs, and one per append. */
export function commandTracing(tracing: Tracing): Instrumentation {
  const { api } = tracing;
  return {
    command: (info, next) =>
      inSpan(
        tracing,
        `execute ${info.decider}`,
        { attributes: commandAttributes(info) },
        api.context.active(),
        async (span) => {
          const result = await next();
          span.setAttribute(EVENTLOOM.outcome, commandOutcome(result));
          return result;
        },
      ),
    commandObserver: {
      appended: (streamId, events, durationMs) =>
        finishedSpan(tracing, 'append', { attributes: appendAttributes(streamId, events) }, durationMs),
    },
  };
}

function commandAttributes({ decider, streamId, command, context }: CommandInfo) {
  return {
    [EVENTLOOM.decider]: decider,
    [EVENTLOOM.streamId]: streamId,
    [EVENTLOOM.commandType]: command.type,
    [MESSAGING.conversationId]: context.correlationid,
    ...(context.causationid === undefined ? {} : { [EVENTLOOM.causationId]: context.causationid }),
  };
}

function appendAttributes(streamId: string, events: readonly StoredEvent[]) {
  return {
    [EVENTLOOM.streamId]: streamId,
    [EVENTLOOM.eventCount]: events.length,
    [EVENTLOOM.streamVersion]: events.at(-1)?.version ?? 0,
  };
}
