import * as E from 'fp-ts/lib/Either.js';
import { handler } from '../../consumer/handler.js';
import { ConsumerRuntime } from '../../consumer/runtime.js';
import { decider } from '../../domain/decider.js';
import { CommandExecutor } from '../../domain/execute.js';
import { rejection } from '../../domain/rejection.js';
import { enqueueAppendedEvents } from '../../outbox/enqueue-hook.js';
import { OutboxRelay } from '../../outbox/relay.js';
import { sagaQueries } from '../../saga/queries.js';
import { saga } from '../../saga/saga.js';
import type { EventStore } from '../../store/contract.js';
import { waitFor } from '../../testing/wait.js';
import type { SubscribeOptions, Transport } from '../../transport/contract.js';
import type { Hooks } from '../instrumentation.js';

type Placed = { type: 'order.placed'; data: { orderId: string } };
type Dispatched = { type: 'shipment.dispatched'; data: { orderId: string } };
type ShipOrder = { type: 'shipping.ship-order'; data: { orderId: string } };

const order = decider<{ type: 'place'; orderId: string }, Placed, { placed: boolean }>({
  name: 'order',
  eventTypes: { 'order.placed': true },
  initialState: () => ({ placed: false }),
  evolve: () => ({ placed: true }),
  decide: (command, state) =>
    state.placed
      ? E.left(rejection('already placed'))
      : E.right([{ type: 'order.placed', data: { orderId: command.orderId } }]),
});

const shipment = decider<{ type: 'dispatch'; orderId: string }, Dispatched, null>({
  name: 'shipment',
  eventTypes: { 'shipment.dispatched': true },
  initialState: () => null,
  evolve: (state) => state,
  decide: (command) => E.right([{ type: 'shipment.dispatched', data: { orderId: command.orderId } }]),
});

/** Started by an order, it asks shipping to ship it and completes when the shipment is dispatched. */
const fulfilment = saga<null, Placed | Dispatched>({
  name: 'fulfilment',
  startedBy: ['order.placed'],
  handles: ['shipment.dispatched'],
  correlate: (message) => message.data.orderId,
  initialState: () => null,
  on: (state, message) =>
    message.type === 'order.placed'
      ? { state, send: [{ type: 'shipping.ship-order', data: { orderId: message.data.orderId } }] }
      : { state, status: 'completed' },
});

const shipping = handler<ShipOrder>({
  consumer: 'shipping',
  types: ['shipping.ship-order'],
  handle: async (message, context) => {
    await context.execute(shipment, message.data.orderId, {
      type: 'dispatch',
      orderId: message.data.orderId,
    });
  },
});

/** The scenario's aggregates, saga and handler, as `createEventloom` takes them. */
export const tracedScenarioDomain = {
  aggregates: [order, shipment],
  sagas: [fulfilment],
  handlers: [shipping],
} as const;

/** Places order `orderId` through `execute` (an app's or an executor's). */
export const placeOrder = (orderId: string) => [order, orderId, { type: 'place', orderId }] as const;

/** The spans from the command to the saga's last transition, root first. */
export const TRACED_SCENARIO_CHAIN = [
  'execute order',
  'process order.placed',
  'handle saga.fulfilment',
  'process shipping.ship-order',
  'handle shipping',
  'execute shipment',
  'process shipment.dispatched',
  'handle saga.fulfilment',
  'saga fulfilment',
] as const;

/** The chain of a run whose topics carry `prefix`. */
export function tracedScenarioChain(prefix: string): string[] {
  return TRACED_SCENARIO_CHAIN.map((name) =>
    name.startsWith('process ') ? `process ${prefix}${name.slice('process '.length)}` : name,
  );
}

export interface TracedScenarioOptions {
  readonly store: EventStore;
  readonly transport: Transport;
  readonly hooks: Hooks;
  readonly orders?: number;
  /** Keeps the topics and group of one run apart from others on a shared broker. */
  readonly prefix?: string;
  readonly subscription?: Omit<SubscribeOptions, 'group' | 'topics'>;
  readonly timeoutMs?: number;
}

/**
 * command → relay → transport → consumer → saga → next command → … → saga completed, for each of
 * `orders` orders, with the given hooks on the executor, relay and consumer. Returns the order ids.
 */
export async function runTracedScenario(options: TracedScenarioOptions): Promise<string[]> {
  const { store, transport, hooks, prefix = '' } = options;
  const executor = new CommandExecutor(store, { afterAppend: [enqueueAppendedEvents()], ...hooks.executor });
  const relay = new OutboxRelay(store, {
    transport,
    pollIntervalMs: 20,
    topicNaming: (envelope) => `${prefix}${envelope.type}`,
    ...hooks.relay,
  });
  const handlers = [fulfilment, shipping];
  const consumer = new ConsumerRuntime({
    store,
    transport,
    executor,
    handlers,
    group: `${prefix}scenario`,
    topics: handlers.flatMap((entry) => entry.types).map((type) => `${prefix}${type}`),
    ...(options.subscription === undefined ? {} : { subscription: options.subscription }),
    ...hooks.consumer,
  });
  const orderIds = Array.from({ length: options.orders ?? 1 }, (_, index) => `order-${index + 1}`);
  await consumer.start();
  relay.start();
  try {
    for (const orderId of orderIds) await executor.execute(...placeOrder(orderId));
    await waitForCompletion(store, orderIds, options.timeoutMs);
  } finally {
    await consumer.stop();
    await relay.stop();
  }
  return orderIds;
}

/** Waits until the fulfilment saga of every order has completed. */
export async function waitForCompletion(
  store: EventStore,
  orderIds: readonly string[],
  timeoutMs = 20_000,
): Promise<void> {
  const queries = sagaQueries(store);
  const allCompleted = async () => {
    const views = await Promise.all(orderIds.map((id) => queries.get(fulfilment, id)));
    return views.every((view) => view?.status === 'completed');
  };
  await waitFor(allCompleted, { timeoutMs }, () => 'every order fulfilled');
}
