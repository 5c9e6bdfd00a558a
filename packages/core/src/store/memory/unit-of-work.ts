import type { Envelope } from '../../envelope/envelope.js';
import type { JsonValue } from '../../envelope/json.js';
import { ConcurrencyError } from '../../errors.js';
import { eventRow } from '../codec.js';
import type {
  AppendResult,
  DocumentCollection,
  ExpectedVersion,
  ScheduledMessage,
  Snapshot,
  UnitOfWork,
} from '../contract.js';
import { encodeAppend, versionMatches } from '../limits.js';
import { nowMillis, type StoreSettings } from '../options.js';
import {
  checkSnapshotVersion,
  encodeMessages,
  encodeScheduled,
  encodeSnapshot,
  eventAlreadyStored,
  requireText,
  requireWholeNumber,
} from '../validate.js';
import { MemoryDocuments } from './documents.js';
import { lastVersion, MemoryEventReader } from './reader.js';
import type { Draft } from './state.js';

/** Writes into a draft that the store commits when the transaction's work resolves. */
export class MemoryUnitOfWork extends MemoryEventReader implements UnitOfWork {
  constructor(
    private readonly draft: Draft,
    settings: StoreSettings,
  ) {
    super(draft, settings);
  }

  async append(
    streamId: string,
    events: readonly Envelope[],
    expected: ExpectedVersion,
  ): Promise<AppendResult> {
    const { limits, schema } = this.settings;
    const encoded = encodeAppend(streamId, events, expected, limits, schema);
    const previousVersion = lastVersion(this.draft.streamRows(streamId));
    if (!versionMatches(expected, previousVersion)) {
      throw new ConcurrencyError(streamId, String(expected), previousVersion);
    }
    encoded.forEach(({ envelope }, index) => {
      if (this.draft.hasEvent(envelope.id)) throw eventAlreadyStored(index, envelope.id);
    });
    const first = this.draft.nextPosition;
    const rows = encoded.map((event, index) =>
      eventRow(event, streamId, previousVersion + index + 1, first + index),
    );
    this.draft.stageEvents(streamId, rows);
    const stored = rows.map((row) => this.decode(row));
    return { streamId, previousVersion, version: previousVersion + stored.length, events: stored };
  }

  async saveSnapshot(snapshot: Snapshot): Promise<void> {
    const encoded = encodeSnapshot(snapshot, this.settings.limits);
    checkSnapshotVersion(encoded, lastVersion(this.draft.streamRows(encoded.streamId)));
    const { streamId, version, schemaversion, stateJson } = encoded;
    this.draft.snapshots.set(streamId, { stream_id: streamId, version, schemaversion, state: stateJson });
  }

  async enqueue(messages: readonly Envelope[]): Promise<void> {
    const encoded = encodeMessages(messages, this.settings.limits);
    const enqueuedAt = nowMillis(this.settings.clock);
    for (const message of encoded) this.draft.stageOutbox(message, enqueuedAt);
  }

  async claim(consumer: string, messageId: string): Promise<boolean> {
    requireText(consumer, 'consumer');
    requireText(messageId, 'messageId');
    const claims = this.draft.inbox.group(consumer);
    if (claims.has(messageId)) return false;
    claims.set(messageId, nowMillis(this.settings.clock));
    return true;
  }

  async loadCheckpoint(name: string): Promise<number | undefined> {
    requireText(name, 'checkpoint');
    return this.draft.checkpoints.get(name);
  }

  async saveCheckpoint(name: string, position: number): Promise<void> {
    requireText(name, 'checkpoint');
    requireWholeNumber(position, 'position');
    this.draft.checkpoints.set(name, position);
  }

  documents<T = JsonValue>(collection: string): DocumentCollection<T> {
    return new MemoryDocuments<T>(this.draft.documents.group(collection), collection);
  }

  async schedule(message: ScheduledMessage): Promise<void> {
    const encoded = encodeScheduled(message, this.settings.limits);
    if (this.draft.scheduled.has(encoded.id)) return;
    this.draft.scheduled.set(encoded.id, encoded);
    this.draft.outboxWritten = true;
  }

  async cancelScheduled(id: string): Promise<boolean> {
    requireText(id, 'scheduled.id');
    return this.draft.scheduled.delete(id);
  }
}
