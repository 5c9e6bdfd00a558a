import * as E from 'fp-ts/lib/Either.js';
import { handler, type MessageHandler } from '../consumer/handler.js';
import { decider } from '../domain/decider.js';
import { rejection } from '../domain/rejection.js';

/**
 * The domain of the exactly-once scenario: counters whose events feed a projection handler
 * (a running total per counter plus the list of event numbers it saw), which sends a follow-up
 * message to a ledger handler and schedules a reminder for every third event.
 */

export type CounterCommand = { readonly type: 'add'; readonly by: number };
export type CounterEvent = {
  readonly type: 'counter.added';
  readonly data: { readonly by: number; readonly n: number };
};
export interface CounterState {
  readonly count: number;
}

export const counter = decider<CounterCommand, CounterEvent, CounterState>({
  name: 'counter',
  eventTypes: { 'counter.added': true },
  initialState: () => ({ count: 0 }),
  evolve: (state) => ({ count: state.count + 1 }),
  decide: (command, state) =>
    command.by > 0
      ? E.right([{ type: 'counter.added', data: { by: command.by, n: state.count + 1 } }])
      : E.left(rejection('not-positive')),
});

export const COLLECTIONS = { totals: 'eo-totals', ledger: 'eo-ledger', reminders: 'eo-reminders' } as const;
export const MESSAGE_TYPES = ['counter.added', 'counter.noted', 'counter.reminder'] as const;
export const REMINDER_EVERY = 3;

export interface TotalsDocument {
  readonly total: number;
  readonly seen: readonly number[];
}
export interface SeenDocument {
  readonly seen: readonly number[];
}

type NotedMessage = { type: 'counter.noted'; data: { stream: string; n: number } };
type ReminderMessage = { type: 'counter.reminder'; data: { stream: string; n: number } };

/** The three handlers; `reminderDelayMs` spreads reminders over time so they are released as they fall due. */
export function exactlyOnceHandlers(reminderDelayMs: (n: number) => number): MessageHandler[] {
  const totals = handler<CounterEvent>({
    consumer: 'exactly-once.totals',
    types: ['counter.added'],
    async handle(message, context) {
      const stream = message.subject ?? '?';
      const documents = context.uow.documents<TotalsDocument>(COLLECTIONS.totals);
      const current = (await documents.get(stream))?.value ?? { total: 0, seen: [] };
      const { by, n } = message.data;
      await documents.put(stream, { total: current.total + by, seen: [...current.seen, n] });
      await context.send({ type: 'counter.noted', data: { stream, n }, partitionkey: stream });
      if (n % REMINDER_EVERY === 0) {
        const reminder = { type: 'counter.reminder', data: { stream, n }, partitionkey: stream };
        await context.schedule({
          message: reminder,
          afterMs: reminderDelayMs(n),
          id: `${stream}/reminder-${n}`,
        });
      }
    },
  });
  return [
    totals,
    appendSeen<NotedMessage>('exactly-once.ledger', 'counter.noted', COLLECTIONS.ledger),
    appendSeen<ReminderMessage>('exactly-once.reminders', 'counter.reminder', COLLECTIONS.reminders),
  ] as MessageHandler[];
}

function appendSeen<Message extends NotedMessage | ReminderMessage>(
  consumer: string,
  type: Message['type'],
  collection: string,
) {
  return handler<Message>({
    consumer,
    types: [type],
    async handle(message, { uow }) {
      const documents = uow.documents<SeenDocument>(collection);
      const current = (await documents.get(message.data.stream))?.value ?? { seen: [] };
      await documents.put(message.data.stream, { seen: [...current.seen, message.data.n] });
    },
  });
}
