import { decodeSnapshot, decodeStoredEvent, type EventRow } from '../codec.js';
import type { EventReader, ReadAllOptions, ReadStreamOptions, Snapshot, StoredEvent } from '../contract.js';
import { validateStreamId } from '../limits.js';
import type { StoreSettings } from '../options.js';
import { allRange, type StreamRange, streamRange } from '../validate.js';
import type { EventRowSource } from './state.js';

/** Reads over committed rows, or over a transaction's view that includes its own writes. */
export class MemoryEventReader implements EventReader {
  constructor(
    private readonly source: EventRowSource,
    protected readonly settings: StoreSettings,
  ) {}

  async streamVersion(streamId: string): Promise<number> {
    validateStreamId(streamId, this.settings.limits);
    return lastVersion(this.source.streamRows(streamId));
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    const range = streamRange(streamId, options, this.settings.limits);
    return selectRange(this.source.streamRows(streamId), range).map((row) => this.decode(row));
  }

  async readAll(options: ReadAllOptions = {}): Promise<StoredEvent[]> {
    const { after, maxCount } = allRange(options);
    return this.source.rowsAfter(after, maxCount).map((row) => this.decode(row));
  }

  async loadSnapshot(streamId: string): Promise<Snapshot | undefined> {
    validateStreamId(streamId, this.settings.limits);
    const row = this.source.snapshot(streamId);
    return row === undefined ? undefined : decodeSnapshot(row);
  }

  protected decode(row: EventRow): StoredEvent {
    return this.settings.schema.upcast(decodeStoredEvent(row));
  }
}

export function lastVersion(rows: readonly EventRow[]): number {
  return rows.at(-1)?.version ?? 0;
}

/** `rows` hold versions 1…n in order, so a version is an index. */
function selectRange(rows: readonly EventRow[], range: StreamRange): readonly EventRow[] {
  const count = range.maxCount ?? rows.length;
  if (range.direction === 'forwards') {
    const start = Math.max(range.fromVersion ?? 1, 1) - 1;
    return rows.slice(start, start + count);
  }
  const end = Math.min(range.fromVersion ?? rows.length, rows.length);
  return rows.slice(Math.max(end - count, 0), end).reverse();
}
