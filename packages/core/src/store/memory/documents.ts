import type { JsonValue } from '../../envelope/json.js';
import { type DocumentRow, decodeDocument } from '../codec.js';
import type { DocumentCollection, StoredDocument } from '../contract.js';
import { checkDocumentVersion, encodeDocument, requireText, validateListOptions } from '../validate.js';
import type { StagedMap } from './staged-map.js';
import { compareCodePoints } from './text-order.js';

export class MemoryDocuments<T = JsonValue> implements DocumentCollection<T> {
  constructor(
    private readonly rows: StagedMap<DocumentRow>,
    private readonly collection: string,
  ) {}

  async get(id: string): Promise<StoredDocument<T> | undefined> {
    requireText(id, `documents('${this.collection}').id`);
    const row = this.rows.get(id);
    return row === undefined ? undefined : decodeDocument<T>(row, this.collection);
  }

  async put(id: string, value: T, expectedVersion?: number): Promise<number> {
    const json = encodeDocument(this.collection, id, value, expectedVersion);
    const actual = this.rows.get(id)?.version ?? 0;
    checkDocumentVersion(this.collection, id, expectedVersion, actual);
    this.rows.set(id, { id, version: actual + 1, value: json });
    return actual + 1;
  }

  async delete(id: string): Promise<boolean> {
    requireText(id, `documents('${this.collection}').id`);
    return this.rows.delete(id);
  }

  async list(
    options: { prefix?: string; afterId?: string; limit?: number } = {},
  ): Promise<StoredDocument<T>[]> {
    validateListOptions(options);
    const { prefix = '', afterId, limit } = options;
    const matching: DocumentRow[] = [];
    for (const [, row] of this.rows.entries()) {
      if (!row.id.startsWith(prefix)) continue;
      if (afterId !== undefined && compareCodePoints(row.id, afterId) <= 0) continue;
      matching.push(row);
    }
    matching.sort((a, b) => compareCodePoints(a.id, b.id));
    return matching.slice(0, limit).map((row) => decodeDocument<T>(row, this.collection));
  }

  async count(options: { prefix?: string } = {}): Promise<number> {
    validateListOptions(options);
    const { prefix = '' } = options;
    let matching = 0;
    for (const [id] of this.rows.entries()) if (id.startsWith(prefix)) matching += 1;
    return matching;
  }
}
