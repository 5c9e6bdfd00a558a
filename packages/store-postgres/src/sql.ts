import { createHash } from 'node:crypto';
import { StoreError, TransactionConflictError } from '@eventloom/core';
import pg from 'pg';

/** A pool (one statement, autocommit) or a client inside a transaction. */
export type Queryable = pg.Pool | pg.PoolClient;

const INT8_OID = 20;

/** bigint columns (positions, versions, times in ms) come back as numbers, not strings. */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID ? Number : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

/** SQLSTATEs of a transaction the server undid to let a concurrent one through: deadlock, serialization. */
const CONFLICT_STATES = new Set(['40P01', '40001']);

const statementNames = new Map<string, string>();

/**
 * A name for a statement text, so that each connection parses and plans it once and then only
 * binds it; for the hot statements, whose text is fixed per schema.
 */
export function prepared(text: string): string {
  let name = statementNames.get(text);
  if (name === undefined) {
    name = `eventloom_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    statementNames.set(text, name);
  }
  return name;
}

/** The last statement sent on each transaction's client: the next one waits for it. */
const lastOnClient = new WeakMap<pg.PoolClient, Promise<unknown>>();

/**
 * Runs one parameterised statement; a failure of the database or the connection is a StoreError.
 * Statements of one transaction run one after another even when the caller starts them together
 * (`Promise.all` inside a unit of work): a connection takes one query at a time.
 */
export function query<Row extends object = Record<string, unknown>>(
  db: Queryable,
  text: string,
  values: readonly unknown[] = [],
  name?: string,
): Promise<Row[]> {
  const run = () => send<Row>(db, text, values, name);
  if (!isClient(db)) return run();
  const previous = lastOnClient.get(db);
  const next = previous === undefined ? run() : previous.then(run, run);
  lastOnClient.set(db, next);
  return next;
}

async function send<Row extends object>(
  db: Queryable,
  text: string,
  values: readonly unknown[],
  name: string | undefined,
): Promise<Row[]> {
  try {
    const config = { text, values: values as unknown[], types };
    const result = await db.query<Row>(name === undefined ? config : { ...config, name });
    return result.rows;
  } catch (error) {
    throw toStoreError(error);
  }
}

function isClient(db: Queryable): db is pg.PoolClient {
  return typeof (db as Partial<pg.PoolClient>).release === 'function';
}

export async function queryOne<Row extends object>(
  db: Queryable,
  text: string,
  values: readonly unknown[] = [],
  name?: string,
): Promise<Row | undefined> {
  return (await query<Row>(db, text, values, name))[0];
}

/** A StoreError that keeps the driver's error as its cause and names the SQLSTATE, if any. */
export function toStoreError(error: unknown): Error {
  if (error instanceof StoreError || !(error instanceof Error)) return error as Error;
  const code = (error as { code?: unknown }).code;
  const state = typeof code === 'string' ? ` (SQLSTATE ${code})` : '';
  if (typeof code === 'string' && CONFLICT_STATES.has(code)) {
    return new TransactionConflictError(`PostgreSQL: ${error.message}${state}`, { cause: error });
  }
  return new StoreError(`PostgreSQL: ${error.message}${state}`, { cause: error });
}

/** A schema-qualified, quoted name; `schema` is a validated identifier, never user text. */
export function qualified(schema: string, table: string): string {
  return `"${schema}"."${table}"`;
}
