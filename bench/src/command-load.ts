import { type CommandExecutor, decider, rejection } from '@eventloom/core';
import * as E from 'fp-ts/lib/Either.js';
import { runConcurrently } from './measure.js';

type CounterEvent = { type: 'counter.added'; data: { by: number } };
type CounterCommand = { type: 'add'; by: number };

/** The store benches' aggregate: each command adds to a stream's total. */
export function counterDecider(options: { readonly snapshotEvery?: number } = {}) {
  return decider<CounterCommand, CounterEvent, { total: number }>({
    name: 'counter',
    eventTypes: { 'counter.added': true },
    initialState: () => ({ total: 0 }),
    evolve: (s, e) => ({ total: s.total + e.data.by }),
    decide: (c) =>
      c.by > 0 ? E.right([{ type: 'counter.added', data: { by: c.by } }]) : E.left(rejection('not-positive')),
    ...(options.snapshotEvery === undefined ? {} : { snapshot: { every: options.snapshotEvery } }),
  });
}

/** `commands` add-one commands over `streams` streams, `concurrency` at a time; any rejection fails the bench. */
export function runCounterCommands(
  executor: CommandExecutor,
  counter: ReturnType<typeof counterDecider>,
  load: { readonly commands: number; readonly streams: number; readonly concurrency: number },
): Promise<void> {
  return runConcurrently(load.commands, load.concurrency, async (i) => {
    const result = await executor.execute(counter, String(i % load.streams), { type: 'add', by: 1 });
    if (E.isLeft(result)) throw new Error(`unexpected ${result.left.kind}`);
  });
}
