import Database from 'better-sqlite3';
import { EventloomError, StoreError } from '../../errors.js';

export type Connection = Database.Database;
export type Statement = Database.Statement;

/** Every statement is prepared once, on first use, and reused for the life of the connection. */
export class Statements {
  private readonly cache = new Map<string, Statement>();

  constructor(private readonly db: Connection) {}

  get(sql: string): Statement {
    let statement = this.cache.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql);
      this.cache.set(sql, statement);
    }
    return statement;
  }
}

/** Eventloom's own errors pass through; anything SQLite or the driver throws becomes a StoreError. */
export function storeFailure(error: unknown, operation: string): Error {
  if (error instanceof EventloomError) return error;
  const code = (error as { code?: unknown })?.code;
  const detail = typeof code === 'string' ? `${code}: ${(error as Error).message}` : String(error);
  return new StoreError(`SQLite could not ${operation} (${detail})`, { cause: error });
}

export function isUniqueViolation(error: unknown, column: string): boolean {
  const { code, message } = error as { code?: unknown; message?: unknown };
  return code === 'SQLITE_CONSTRAINT_UNIQUE' && typeof message === 'string' && message.includes(column);
}

/** Runs `read` now, as a promise: a throw becomes a rejection with a typed error. */
export function attempt<T>(operation: string, read: () => T): Promise<T> {
  try {
    return Promise.resolve(read());
  } catch (error) {
    return Promise.reject(storeFailure(error, operation));
  }
}

export interface ConnectionOptions {
  readonly path: string;
  readonly synchronous: 'FULL' | 'NORMAL';
  readonly busyTimeoutMs: number;
}

export function openConnection(options: ConnectionOptions): Connection {
  let db: Connection | undefined;
  try {
    db = new Database(options.path, { timeout: options.busyTimeoutMs });
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.synchronous}`);
    db.pragma(`busy_timeout = ${options.busyTimeoutMs}`);
    db.pragma('foreign_keys = ON');
    return db;
  } catch (error) {
    db?.close();
    throw storeFailure(error, `open '${options.path}'`);
  }
}
