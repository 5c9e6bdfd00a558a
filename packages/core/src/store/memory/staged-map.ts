const DELETED = Symbol('deleted');

/** A transaction's changes to a committed map: read through, applied only on commit. */
export class StagedMap<V> {
  /** Made on the first write: most transactions leave most tables alone. */
  private changes: Map<string, V | typeof DELETED> | undefined;

  constructor(private readonly committed: Map<string, V>) {}

  get(key: string): V | undefined {
    const change = this.changes?.get(key);
    if (change === DELETED) return undefined;
    return change ?? this.committed.get(key);
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  set(key: string, value: V): void {
    this.changes ??= new Map();
    this.changes.set(key, value);
  }

  /** Whether there was a value to delete. */
  delete(key: string): boolean {
    const existed = this.has(key);
    this.changes ??= new Map();
    this.changes.set(key, DELETED);
    return existed;
  }

  *entries(): Generator<[string, V]> {
    for (const [key, value] of this.committed) {
      if (!this.changes?.has(key)) yield [key, value];
    }
    for (const [key, change] of this.changes ?? []) {
      if (change !== DELETED) yield [key, change];
    }
  }

  apply(): void {
    if (this.changes === undefined) return;
    for (const [key, change] of this.changes) {
      if (change === DELETED) this.committed.delete(key);
      else this.committed.set(key, change);
    }
  }
}

/**
 * A transaction's changes to a committed map of maps (claims by consumer, documents by
 * collection): each group is staged on its own, so a key is never a concatenation to hash.
 */
export class StagedGroups<V> {
  private staged: Map<string, StagedMap<V>> | undefined;

  constructor(private readonly committed: Map<string, Map<string, V>>) {}

  group(name: string): StagedMap<V> {
    this.staged ??= new Map();
    let group = this.staged.get(name);
    if (group === undefined) {
      let rows = this.committed.get(name);
      if (rows === undefined) {
        // An empty group left behind by a rolled-back transaction holds nothing.
        rows = new Map();
        this.committed.set(name, rows);
      }
      group = new StagedMap(rows);
      this.staged.set(name, group);
    }
    return group;
  }

  apply(): void {
    for (const group of this.staged?.values() ?? []) group.apply();
  }
}
