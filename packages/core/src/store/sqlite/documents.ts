import type { JsonValue } from '../../envelope/json.js';
import { type DocumentRow, decodeDocument } from '../codec.js';
import type { DocumentCollection, StoredDocument } from '../contract.js';
import { checkDocumentVersion, encodeDocument, requireText, validateListOptions } from '../validate.js';
import type { Execute, SqliteContext } from './context.js';

const GET = 'SELECT id, version, value FROM documents WHERE collection = ? AND id = ?';
const PUT = `INSERT INTO documents (collection, id, version, value) VALUES (?, ?, ?, ?)
  ON CONFLICT (collection, id) DO UPDATE SET version = excluded.version, value = excluded.value`;
const DELETE = 'DELETE FROM documents WHERE collection = ? AND id = ?';
/** `id >= prefix` lets the primary key find where the prefix starts; substr() decides the match. */
const LIST = `SELECT id, version, value FROM documents
  WHERE collection = @collection AND id > @after AND id >= @prefix AND substr(id, 1, length(@prefix)) = @prefix
  ORDER BY id LIMIT @limit`;
const COUNT = `SELECT count(*) AS count FROM documents
  WHERE collection = @collection AND id >= @prefix AND substr(id, 1, length(@prefix)) = @prefix`;

export class SqliteDocuments<T = JsonValue> implements DocumentCollection<T> {
  constructor(
    private readonly context: SqliteContext,
    private readonly execute: Execute,
    private readonly collection: string,
  ) {}

  get(id: string): Promise<StoredDocument<T> | undefined> {
    return this.execute('read a document', () => {
      requireText(id, `documents('${this.collection}').id`);
      const row = this.context.sql.get(GET).get(this.collection, id) as DocumentRow | undefined;
      return row === undefined ? undefined : decodeDocument<T>(row, this.collection);
    });
  }

  put(id: string, value: T, expectedVersion?: number): Promise<number> {
    return this.execute('write a document', () => {
      const json = encodeDocument(this.collection, id, value, expectedVersion);
      const row = this.context.sql.get(GET).get(this.collection, id) as DocumentRow | undefined;
      const actual = row?.version ?? 0;
      checkDocumentVersion(this.collection, id, expectedVersion, actual);
      this.context.sql.get(PUT).run(this.collection, id, actual + 1, json);
      return actual + 1;
    });
  }

  delete(id: string): Promise<boolean> {
    return this.execute('delete a document', () => {
      requireText(id, `documents('${this.collection}').id`);
      return this.context.sql.get(DELETE).run(this.collection, id).changes > 0;
    });
  }

  list(options: { prefix?: string; afterId?: string; limit?: number } = {}): Promise<StoredDocument<T>[]> {
    return this.execute('list documents', () => {
      validateListOptions(options);
      const rows = this.context.sql.get(LIST).all({
        collection: this.collection,
        after: options.afterId ?? '',
        prefix: options.prefix ?? '',
        limit: options.limit ?? -1,
      }) as DocumentRow[];
      return rows.map((row) => decodeDocument<T>(row, this.collection));
    });
  }

  count(options: { prefix?: string } = {}): Promise<number> {
    return this.execute('count documents', () => {
      validateListOptions(options);
      const row = this.context.sql
        .get(COUNT)
        .get({ collection: this.collection, prefix: options.prefix ?? '' });
      return (row as { count: number }).count;
    });
  }
}
