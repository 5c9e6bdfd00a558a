import type { DocumentCollection, JsonValue, StoredDocument } from '@eventloom/core';
import {
  checkDocumentVersion,
  type DocumentRow,
  decodeDocument,
  encodeDocument,
  requireText,
  validateListOptions,
} from '@eventloom/core/store-kit';
import type { Tables } from './schema/tables.js';
import { type Queryable, query, queryOne } from './sql.js';

/** One collection of the `documents` table, inside a transaction. */
export class PostgresDocuments<T = JsonValue> implements DocumentCollection<T> {
  constructor(
    private readonly db: Queryable,
    private readonly tables: Tables,
    private readonly collection: string,
  ) {}

  async get(id: string): Promise<StoredDocument<T> | undefined> {
    requireText(id, `documents('${this.collection}').id`);
    const sql = `SELECT id, version, value::text AS value FROM ${this.tables.documents}
      WHERE collection = $1 AND id = $2`;
    const row = await queryOne<DocumentRow>(this.db, sql, [this.collection, id]);
    return row === undefined ? undefined : decodeDocument<T>(row, this.collection);
  }

  async put(id: string, value: T, expectedVersion?: number): Promise<number> {
    const json = encodeDocument(this.collection, id, value, expectedVersion);
    const row = await queryOne<{ version: number }>(this.db, putSql(this.tables, expectedVersion), [
      this.collection,
      id,
      json,
      ...(expectedVersion === undefined || expectedVersion === 0 ? [] : [expectedVersion]),
    ]);
    if (row !== undefined) return row.version;
    const actual = (await this.get(id))?.version ?? 0;
    checkDocumentVersion(this.collection, id, expectedVersion, actual);
    return actual;
  }

  async delete(id: string): Promise<boolean> {
    requireText(id, `documents('${this.collection}').id`);
    const sql = `DELETE FROM ${this.tables.documents} WHERE collection = $1 AND id = $2 RETURNING 1`;
    return (await query(this.db, sql, [this.collection, id])).length > 0;
  }

  async list(
    options: { prefix?: string; afterId?: string; limit?: number } = {},
  ): Promise<StoredDocument<T>[]> {
    validateListOptions(options);
    const sql = `SELECT id, version, value::text AS value FROM ${this.tables.documents}
      WHERE collection = $1 AND id >= $2 AND starts_with(id, $2) AND ($3::text IS NULL OR id > $3)
      ORDER BY id LIMIT $4`;
    const values = [this.collection, options.prefix ?? '', options.afterId ?? null, options.limit ?? null];
    const rows = await query<DocumentRow>(this.db, sql, values);
    return rows.map((row) => decodeDocument<T>(row, this.collection));
  }

  async count(options: { prefix?: string } = {}): Promise<number> {
    validateListOptions(options);
    const sql = `SELECT count(*)::float8 AS count FROM ${this.tables.documents}
      WHERE collection = $1 AND id >= $2 AND starts_with(id, $2)`;
    const row = await queryOne<{ count: number }>(this.db, sql, [this.collection, options.prefix ?? '']);
    return row?.count ?? 0;
  }
}

/** Writes the new version; yields no row when the document is not at the expected version. */
function putSql(t: Tables, expectedVersion: number | undefined): string {
  const insert = `INSERT INTO ${t.documents} AS d (collection, id, version, value) VALUES ($1, $2, 1, $3)`;
  if (expectedVersion === undefined) {
    return `${insert} ON CONFLICT (collection, id)
      DO UPDATE SET version = d.version + 1, value = EXCLUDED.value RETURNING d.version`;
  }
  if (expectedVersion === 0) return `${insert} ON CONFLICT (collection, id) DO NOTHING RETURNING d.version`;
  return `UPDATE ${t.documents} SET version = version + 1, value = $3
    WHERE collection = $1 AND id = $2 AND version = $4 RETURNING version`;
}
