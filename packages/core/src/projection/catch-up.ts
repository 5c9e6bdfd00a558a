import type { EventStore, UnitOfWork } from '../store/contract.js';
import { type AnyProjection, applyIfHandled, checkpointNameOf } from './projection.js';

export interface CatchUpStep {
  /** The projection's checkpoint after the step. */
  readonly checkpoint: number;
  /** Whether more may be waiting right now (a full batch, or a checkpoint moved by someone else). */
  readonly more: boolean;
}

/**
 * Applies the next batch of the global log after `after`, saving the checkpoint in the same
 * transaction as the writes. The log is read committed and gap-free (a store never shows a
 * row a slower transaction could still slot in before), so no event is ever skipped.
 */
export async function catchUpBatch(
  store: EventStore,
  target: AnyProjection,
  after: number,
  batchSize: number,
): Promise<CatchUpStep> {
  const events = await store.readAll({ after, maxCount: batchSize });
  if (events.length === 0) return { checkpoint: after, more: false };
  const last = events[events.length - 1]!.position;
  const name = checkpointNameOf(target);
  return store.transaction(async (uow) => {
    const saved = (await uow.loadCheckpoint(name)) ?? 0;
    if (saved !== after) return { checkpoint: saved, more: true };
    for (const event of events) await applyIfHandled(target, event, uow);
    await uow.saveCheckpoint(name, last);
    return { checkpoint: last, more: events.length === batchSize };
  });
}

export async function loadProjectionCheckpoint(store: EventStore, target: AnyProjection): Promise<number> {
  return (await store.transaction((uow) => uow.loadCheckpoint(checkpointNameOf(target)))) ?? 0;
}

const RESET_PAGE = 500;

/** Empties the projection's collections and sets its checkpoint to zero, in one transaction. */
export async function resetProjection(store: EventStore, target: AnyProjection): Promise<void> {
  await store.transaction(async (uow) => {
    for (const collection of target.collections) await emptyCollection(uow, collection);
    await uow.saveCheckpoint(checkpointNameOf(target), 0);
  });
}

async function emptyCollection(uow: UnitOfWork, collection: string): Promise<void> {
  const documents = uow.documents(collection);
  let afterId: string | undefined;
  for (;;) {
    const page = await documents.list(
      afterId === undefined ? { limit: RESET_PAGE } : { afterId, limit: RESET_PAGE },
    );
    for (const document of page) await documents.delete(document.id);
    if (page.length < RESET_PAGE) return;
    afterId = page[page.length - 1]!.id;
  }
}

/** Applies the whole log from the checkpoint on, batch after batch; returns the final checkpoint. */
export async function catchUpFully(
  store: EventStore,
  target: AnyProjection,
  batchSize: number,
): Promise<number> {
  let step: CatchUpStep = { checkpoint: await loadProjectionCheckpoint(store, target), more: true };
  while (step.more) step = await catchUpBatch(store, target, step.checkpoint, batchSize);
  return step.checkpoint;
}

/**
 * Rebuilds a projection from zero: reset, then replay the whole log. For an inline projection,
 * pause writers meanwhile: an append committed during the replay would be applied twice.
 */
export async function rebuildProjection(
  store: EventStore,
  target: AnyProjection,
  batchSize = 500,
): Promise<number> {
  await resetProjection(store, target);
  return catchUpFully(store, target, batchSize);
}
