import {
  type AppendResult,
  ConcurrencyError,
  type DocumentCollection,
  type Envelope,
  type ExpectedVersion,
  encodeAppend,
  type JsonValue,
  type ScheduledMessage,
  type Snapshot,
  type UnitOfWork,
  versionMatches,
} from '@eventloom/core';
import {
  decodeStoredEvent,
  encodeMessages,
  encodeScheduled,
  encodeSnapshot,
  nowMillis,
  requireText,
  requireWholeNumber,
  type StoreSettings,
} from '@eventloom/core/store-kit';
import type pg from 'pg';
import * as checkpoints from './checkpoints.js';
import { PostgresDocuments } from './documents.js';
import { appendEvents, streamVersion } from './events.js';
import { claimMessage } from './inbox.js';
import { enqueueMessages, type OutboxNotice } from './outbox.js';
import { PostgresEventReader } from './reader.js';
import { cancelScheduled, scheduleMessage } from './scheduled.js';
import type { Tables } from './schema/tables.js';
import { saveSnapshot } from './snapshots.js';

/** Every write goes straight to the transaction's connection; PostgreSQL keeps it until COMMIT. */
export class PostgresUnitOfWork extends PostgresEventReader implements UnitOfWork {
  /** Whether the transaction wrote outbox or scheduled rows, so that its commit wakes the relay. */
  outboxWritten = false;

  constructor(
    client: pg.PoolClient,
    tables: Tables,
    settings: StoreSettings,
    private readonly notice: OutboxNotice,
  ) {
    super(client, tables, settings);
  }

  async append(
    streamId: string,
    events: readonly Envelope[],
    expected: ExpectedVersion,
  ): Promise<AppendResult> {
    const encoded = encodeAppend(streamId, events, expected, this.settings.limits, this.settings.schema);
    if (encoded.length === 0) return this.checkVersion(streamId, expected);
    const { previous, rows } = await appendEvents(this.db, this.tables, streamId, encoded, expected);
    const stored = rows.map((row) => this.settings.schema.upcast(decodeStoredEvent(row)));
    return { streamId, previousVersion: previous, version: previous + rows.length, events: stored };
  }

  async saveSnapshot(snapshot: Snapshot): Promise<void> {
    await saveSnapshot(this.db, this.tables, encodeSnapshot(snapshot, this.settings.limits));
  }

  async enqueue(messages: readonly Envelope[]): Promise<void> {
    const encoded = encodeMessages(messages, this.settings.limits);
    if (encoded.length === 0) return;
    await enqueueMessages(this.db, this.tables, encoded, this.now(), this.notice);
    this.outboxWritten = true;
  }

  async claim(consumer: string, messageId: string): Promise<boolean> {
    requireText(consumer, 'consumer');
    requireText(messageId, 'messageId');
    return claimMessage(this.db, this.tables, consumer, messageId, this.now());
  }

  async loadCheckpoint(name: string): Promise<number | undefined> {
    requireText(name, 'checkpoint');
    return checkpoints.loadCheckpoint(this.db, this.tables, name);
  }

  async saveCheckpoint(name: string, position: number): Promise<void> {
    requireText(name, 'checkpoint');
    requireWholeNumber(position, 'position');
    await checkpoints.saveCheckpoint(this.db, this.tables, name, position);
  }

  documents<T = JsonValue>(collection: string): DocumentCollection<T> {
    return new PostgresDocuments<T>(this.db, this.tables, collection);
  }

  async schedule(message: ScheduledMessage): Promise<void> {
    const encoded = encodeScheduled(message, this.settings.limits);
    if (await scheduleMessage(this.db, this.tables, encoded, this.notice)) this.outboxWritten = true;
  }

  async cancelScheduled(id: string): Promise<boolean> {
    requireText(id, 'scheduled.id');
    return cancelScheduled(this.db, this.tables, id);
  }

  /** An append of no events: checks the version, writes nothing. */
  private async checkVersion(streamId: string, expected: ExpectedVersion): Promise<AppendResult> {
    const version = await streamVersion(this.db, this.tables, streamId);
    if (!versionMatches(expected, version)) throw new ConcurrencyError(streamId, String(expected), version);
    return { streamId, previousVersion: version, version, events: [] };
  }

  private now(): number {
    return nowMillis(this.settings.clock);
  }
}
