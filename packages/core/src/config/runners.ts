import type { AnyMessageHandler } from '../consumer/registry.js';
import { ConsumerRuntime } from '../consumer/runtime.js';
import { CommandExecutor } from '../domain/execute.js';
import { consumerHooks, executorHooks, relayHooks } from '../observability/wiring.js';
import { enqueueAppendedEvents } from '../outbox/enqueue-hook.js';
import { OutboxRelay } from '../outbox/relay.js';
import { AsyncProjection } from '../projection/async.js';
import { inlineProjection } from '../projection/inline.js';
import { projectionHandler } from '../projection/subscribed.js';
import type { EventStore } from '../store/contract.js';
import type { Transport } from '../transport/contract.js';
import type { CheckedOptions } from './check.js';
import type { EventloomOptions } from './options.js';

/** What runs in the background of an app, along the spine: relay → transport → consumer, and projections. */
export interface Runners {
  /** Commands: inline projections and the outbox enqueue commit with each append. */
  readonly executor: CommandExecutor;
  readonly relay: OutboxRelay;
  /** Absent when the app has no saga, handler or transport projection. */
  readonly consumer: ConsumerRuntime | undefined;
  readonly projections: readonly AsyncProjection[];
}

export function buildRunners(
  checked: CheckedOptions,
  options: EventloomOptions,
  store: EventStore,
  transport: Transport,
): Runners {
  const topicOf = (type: string) => `${checked.topicPrefix}${type}`;
  const clock = options.clock === undefined ? {} : { clock: options.clock };
  const { observability } = options;
  const executor = new CommandExecutor(store, {
    afterAppend: [...checked.inlineProjections.map(inlineProjection), enqueueAppendedEvents()],
    ...executorHooks(observability),
  });
  const relay = new OutboxRelay(store, {
    ...options.relay,
    ...relayHooks(options.relay?.observer, observability),
    ...clock,
    transport,
    topicNaming: (envelope) => topicOf(envelope.type),
  });
  const handlers: AnyMessageHandler[] = [
    ...checked.sagas,
    ...checked.handlers,
    ...checked.transportProjections.map(projectionHandler),
  ];
  const consumer =
    handlers.length === 0
      ? undefined
      : new ConsumerRuntime({
          ...options.consumer,
          ...consumerHooks(options.consumer, observability),
          ...clock,
          store,
          transport,
          executor,
          handlers,
          group: checked.name,
          topics: [...new Set(handlers.flatMap((entry) => entry.types))].map(topicOf),
        });
  const projections = checked.asyncProjections.map(
    ({ projection, options: projectionOptions }) => new AsyncProjection(store, projection, projectionOptions),
  );
  return { executor, relay, consumer, projections };
}
