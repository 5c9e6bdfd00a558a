import { InvalidInputError } from '../../errors.js';
import type { StoreOptions } from '../options.js';
import { requirePositive, requireWholeNumber } from '../validate.js';

export interface SqliteStoreOptions extends StoreOptions {
  /** A file path, or ':memory:' for a database that lives and dies with the store. */
  readonly path: string;
  /** FULL (default) survives power loss; NORMAL may lose the last commits in WAL mode. */
  readonly synchronous?: 'FULL' | 'NORMAL';
  /** Concurrent callers share one physical transaction and one fsync (default true). */
  readonly groupCommit?: boolean;
  /** Most callers in one physical transaction (default 256). */
  readonly maxGroupSize?: number;
  /** How long to wait for another process's write lock (default 5000 ms). */
  readonly busyTimeoutMs?: number;
}

export interface SqliteSettings {
  readonly path: string;
  readonly synchronous: 'FULL' | 'NORMAL';
  readonly maxGroupSize: number;
  readonly busyTimeoutMs: number;
}

export function resolveSqliteOptions(options: SqliteStoreOptions): SqliteSettings {
  if (typeof options?.path !== 'string' || options.path.length === 0) {
    throw new InvalidInputError('path', "must be a file path or ':memory:'");
  }
  const synchronous = options.synchronous ?? 'FULL';
  if (synchronous !== 'FULL' && synchronous !== 'NORMAL') {
    throw new InvalidInputError('synchronous', `must be 'FULL' or 'NORMAL', got ${String(synchronous)}`);
  }
  const groupCommit = options.groupCommit ?? true;
  if (typeof groupCommit !== 'boolean') throw new InvalidInputError('groupCommit', 'must be a boolean');
  const maxGroupSize = options.maxGroupSize ?? 256;
  requirePositive(maxGroupSize, 'maxGroupSize');
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  requireWholeNumber(busyTimeoutMs, 'busyTimeoutMs');
  return { path: options.path, synchronous, maxGroupSize: groupCommit ? maxGroupSize : 1, busyTimeoutMs };
}
