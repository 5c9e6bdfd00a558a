import type { Meter } from '@opentelemetry/api';

/** Bucket bounds in seconds, from a millisecond to a minute. */
const SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** Every instrument Eventloom records to; the README's table lists them. */
export function createInstruments(meter: Meter) {
  const counter = (name: string, unit: string, description: string) =>
    meter.createCounter(name, { unit, description });
  const seconds = (name: string, description: string) =>
    meter.createHistogram(name, { unit: 's', description, advice: { explicitBucketBoundaries: SECONDS } });
  return {
    commands: counter('eventloom.commands', '{command}', 'Commands executed, by decider and outcome'),
    commandDuration: seconds(
      'eventloom.command.duration',
      'Time to execute a command, conflict retries included',
    ),
    published: counter('eventloom.messages.published', '{message}', 'Messages the relay published'),
    publishDuration: seconds('eventloom.relay.publish.duration', 'Time to publish one outbox batch'),
    relayFailures: counter(
      'eventloom.relay.failures',
      '{failure}',
      'Relay rounds that failed and will be retried',
    ),
    consumed: counter(
      'eventloom.messages.consumed',
      '{message}',
      'Messages a handler consumed (effects committed)',
    ),
    failed: counter('eventloom.messages.failed', '{message}', 'Deliveries whose unit of work failed'),
    deadLettered: counter(
      'eventloom.messages.dead_lettered',
      '{message}',
      'Messages moved to a dead-letter topic',
    ),
    duplicates: counter('eventloom.inbox.duplicates', '{message}', 'Redeliveries the inbox dropped'),
    handlerDuration: seconds('eventloom.handler.duration', 'Time a handler ran, inside its unit of work'),
    latency: seconds('eventloom.message.latency', 'From the message time to its effects committed'),
    sagaTransitions: counter('eventloom.saga.transitions', '{transition}', 'Saga transitions committed'),
  };
}

export type Instruments = ReturnType<typeof createInstruments>;

export const secondsOf = (milliseconds: number): number => milliseconds / 1_000;
