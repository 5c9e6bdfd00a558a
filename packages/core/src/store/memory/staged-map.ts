const DELETED = Symbol('deleted');

/** A transaction's changes to a committed map: read through, applied only on commit. */
export class StagedMap<V> {
  private readonly changes = new Map<string, V | typeof DELETED>();

  constructor(private readonly committed: Map<string, V>) {}

  get(key: string): V | undefined {
    const change = this.changes.get(key);
    if (change === DELETED) return undefined;
    return change ?? this.committed.get(key);
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  set(key: string, value: V): void {
    this.changes.set(key, value);
  }

  /** Whether there was a value to delete. */
  delete(key: string): boolean {
    const existed = this.has(key);
    this.changes.set(key, DELETED);
    return existed;
  }

  *entries(): Generator<[string, V]> {
    for (const [key, value] of this.committed) {
      if (!this.changes.has(key)) yield [key, value];
    }
    for (const [key, change] of this.changes) {
      if (change !== DELETED) yield [key, change];
    }
  }

  apply(): void {
    for (const [key, change] of this.changes) {
      if (change === DELETED) this.committed.delete(key);
      else this.committed.set(key, change);
    }
  }
}
