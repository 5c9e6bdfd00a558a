import type { Attributes } from '@opentelemetry/api';
import type { Envelope } from '../envelope/envelope.js';

/** OpenTelemetry's semantic conventions for messaging, as far as Eventloom uses them. */
export const MESSAGING = {
  system: 'messaging.system',
  destination: 'messaging.destination.name',
  partition: 'messaging.destination.partition.id',
  messageId: 'messaging.message.id',
  conversationId: 'messaging.message.conversation_id',
  operationType: 'messaging.operation.type',
  operationName: 'messaging.operation.name',
  consumerGroup: 'messaging.consumer.group.name',
} as const;

/** Eventloom's own attributes, for what the conventions do not name. */
export const EVENTLOOM = {
  messageType: 'eventloom.message.type',
  causationId: 'eventloom.causation_id',
  consumer: 'eventloom.consumer',
  attempt: 'eventloom.delivery.attempt',
  decider: 'eventloom.decider',
  streamId: 'eventloom.stream.id',
  streamVersion: 'eventloom.stream.version',
  eventCount: 'eventloom.event.count',
  commandType: 'eventloom.command.type',
  outcome: 'eventloom.outcome',
  saga: 'eventloom.saga.name',
  sagaId: 'eventloom.saga.id',
  sagaStatus: 'eventloom.saga.status',
  sagaStatusBefore: 'eventloom.saga.status.before',
  reason: 'eventloom.dead_letter.reason',
} as const;

/** Which message a span is about: its id, conversation, cause and type. */
export function messageAttributes(message: Envelope): Attributes {
  return {
    [MESSAGING.messageId]: message.id,
    [MESSAGING.conversationId]: message.correlationid,
    [EVENTLOOM.messageType]: message.type,
    ...(message.causationid === undefined ? {} : { [EVENTLOOM.causationId]: message.causationid }),
  };
}
