import type { StoreSettings } from '../options.js';
import type { Connection, Statements } from './connection.js';

/** Runs a synchronous database action as a promise, at the moment the caller's situation allows. */
export type Execute = <T>(operation: string, action: () => T) => Promise<T>;

/** What the SQLite reader, unit of work and store-level operations share. */
export interface SqliteContext {
  readonly db: Connection;
  readonly sql: Statements;
  readonly settings: StoreSettings;
  /** Runs `action` atomically: inside a transaction as a nested savepoint. */
  readonly atomically: <T>(action: () => T) => T;
}

export function currentVersion(context: SqliteContext, streamId: string): number {
  const version = context.sql.get('SELECT version FROM streams WHERE stream_id = ?').pluck().get(streamId) as
    | number
    | undefined;
  return version ?? 0;
}
