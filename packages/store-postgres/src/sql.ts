import { StoreError } from '@eventloom/core';
import pg from 'pg';

/** A pool (one statement, autocommit) or a client inside a transaction. */
export type Queryable = pg.Pool | pg.PoolClient;

const INT8_OID = 20;

/** bigint columns (positions, versions, times in ms) come back as numbers, not strings. */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID ? Number : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

/** Runs one parameterised statement; a failure of the database or the connection is a StoreError. */
export async function query<Row extends object = Record<string, unknown>>(
  db: Queryable,
  text: string,
  values: readonly unknown[] = [],
): Promise<Row[]> {
  try {
    const result = await db.query<Row>({ text, values: values as unknown[], types });
    return result.rows;
  } catch (error) {
    throw toStoreError(error);
  }
}

export async function queryOne<Row extends object>(
  db: Queryable,
  text: string,
  values: readonly unknown[] = [],
): Promise<Row | undefined> {
  return (await query<Row>(db, text, values))[0];
}

/** A StoreError that keeps the driver's error as its cause and names the SQLSTATE, if any. */
export function toStoreError(error: unknown): Error {
  if (error instanceof StoreError || !(error instanceof Error)) return error as Error;
  const code = (error as { code?: unknown }).code;
  const state = typeof code === 'string' ? ` (SQLSTATE ${code})` : '';
  return new StoreError(`PostgreSQL: ${error.message}${state}`, { cause: error });
}

/** A schema-qualified, quoted name; `schema` is a validated identifier, never user text. */
export function qualified(schema: string, table: string): string {
  return `"${schema}"."${table}"`;
}
