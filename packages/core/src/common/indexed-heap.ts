/** An item that sits in at most one heap at a time and remembers where (-1: in none). */
export interface HeapItem {
  heapIndex: number;
}

/**
 * A binary min-heap whose items know their place in it, so that any item can be removed or
 * re-sorted after its key changed in O(log n), not only the smallest.
 */
export class IndexedHeap<T extends HeapItem> {
  private readonly items: T[] = [];

  /** `before(a, b)`: whether `a` comes out before `b`. */
  constructor(private readonly before: (a: T, b: T) => boolean) {}

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    item.heapIndex = this.items.length;
    this.items.push(item);
    this.up(item.heapIndex);
  }

  pop(): T | undefined {
    const top = this.items[0];
    if (top !== undefined) this.removeAt(0);
    return top;
  }

  /** Whether `item` was in this heap. */
  remove(item: T): boolean {
    if (!this.holds(item)) return false;
    this.removeAt(item.heapIndex);
    return true;
  }

  /** Puts `item` back in order after its key changed. */
  update(item: T): void {
    if (!this.holds(item)) return;
    this.down(this.up(item.heapIndex));
  }

  private holds(item: T): boolean {
    return item.heapIndex >= 0 && this.items[item.heapIndex] === item;
  }

  private removeAt(index: number): void {
    const removed = this.items[index]!;
    const last = this.items.pop()!;
    removed.heapIndex = -1;
    if (last === removed) return;
    this.items[index] = last;
    last.heapIndex = index;
    this.down(this.up(index));
  }

  /** Moves the item at `index` towards the top while it comes before its parent; returns where it rests. */
  private up(index: number): number {
    const item = this.items[index]!;
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = this.items[parentIndex]!;
      if (!this.before(item, parent)) break;
      this.place(parent, index);
      index = parentIndex;
    }
    this.place(item, index);
    return index;
  }

  private down(index: number): void {
    const item = this.items[index]!;
    const length = this.items.length;
    for (;;) {
      let child = 2 * index + 1;
      if (child >= length) break;
      const right = child + 1;
      if (right < length && this.before(this.items[right]!, this.items[child]!)) child = right;
      const smaller = this.items[child]!;
      if (!this.before(smaller, item)) break;
      this.place(smaller, index);
      index = child;
    }
    this.place(item, index);
  }

  private place(item: T, index: number): void {
    this.items[index] = item;
    item.heapIndex = index;
  }
}
