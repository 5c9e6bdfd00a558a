import type { AppendHook } from '../domain/execute.js';
import type { Envelope } from '../envelope/envelope.js';
import type { StoredEvent } from '../store/contract.js';

/** The envelope of a stored event, without where the store keeps it. */
export function envelopeOf(event: StoredEvent): Envelope {
  const { streamId: _streamId, version: _version, position: _position, ...envelope } = event;
  return envelope;
}

/**
 * An AppendHook for `CommandExecutor`: every event a command decides is enqueued in the same
 * unit of work as its append, so it is published if and only if it was committed.
 * `accept` narrows which events leave the process (all of them by default).
 */
export function enqueueAppendedEvents(accept: (event: StoredEvent) => boolean = () => true): AppendHook {
  return (uow, events) => {
    try {
      const leaving = events.filter(accept).map(envelopeOf);
      return leaving.length > 0 ? uow.enqueue(leaving) : Promise.resolve();
    } catch (error) {
      return Promise.reject(error);
    }
  };
}
