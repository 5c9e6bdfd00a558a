import type { ConsumerOptions } from '../consumer/runtime.js';
import type { CommandExecutorOptions } from '../domain/execute.js';
import { InvalidInputError } from '../errors.js';
import type { RelayOptions } from '../outbox/options.js';
import { tellAll } from './instrumentation.js';
import type { Observability } from './observability.js';

type ConsumerHooks = Pick<ConsumerOptions, 'middleware' | 'deliveryMiddleware' | 'observer'>;

/** An app's executor options with its observability's hooks. */
export function executorHooks(
  observability: Observability | undefined,
): Pick<CommandExecutorOptions, 'middleware' | 'observer'> {
  return observability === undefined ? {} : observability.executor;
}

/** The relay's observer: the app's own and its observability's, both told. */
export function relayHooks(
  own: RelayOptions['observer'],
  observability: Observability | undefined,
): Pick<RelayOptions, 'observer'> {
  if (observability === undefined) return own === undefined ? {} : { observer: own };
  return { observer: tellAll(observability.relay.observer, own) };
}

/** The consumer's hooks: observability's middleware outermost, so the app's runs inside its spans and log scope. */
export function consumerHooks(
  own: ConsumerHooks | undefined,
  observability: Observability | undefined,
): ConsumerHooks {
  if (observability === undefined) return own ?? {};
  const { consumer } = observability;
  return {
    middleware: [...consumer.middleware, ...(own?.middleware ?? [])],
    deliveryMiddleware: [...consumer.deliveryMiddleware, ...(own?.deliveryMiddleware ?? [])],
    observer: tellAll(consumer.observer, own?.observer),
  };
}

/** Fails, naming the option, on anything that `observability()` did not make. */
export function checkObservability(value: unknown): Observability | undefined {
  if (value === undefined) return undefined;
  const candidate = value as Partial<Observability>;
  if (
    typeof candidate.watch !== 'function' ||
    candidate.executor === undefined ||
    candidate.consumer === undefined
  ) {
    throw new InvalidInputError('observability', 'must be made by observability()');
  }
  return value as Observability;
}
