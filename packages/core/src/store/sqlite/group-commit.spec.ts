import { AsyncLocalStorage } from 'node:async_hooks';
import { describe, expect, it } from 'vitest';
import { StoreError } from '../../errors.js';
import { type GroupTransaction, SharedGroupCommit } from '../group-commit.js';
import { GroupCommit, type JobContext, type TransactionControl } from './group-commit.js';

/** Records the transaction statements instead of running them; can be told to fail one. */
class RecordingControl implements TransactionControl {
  readonly log: string[] = [];
  inTransaction = false;
  failing: string | undefined;

  begin(): void {
    this.step('BEGIN');
    this.inTransaction = true;
  }
  commit(): void {
    this.step('COMMIT');
    this.inTransaction = false;
  }
  rollback(): void {
    this.step('ROLLBACK');
    this.inTransaction = false;
  }
  savepoint(): void {
    this.step('SAVEPOINT');
  }
  release(): void {
    this.step('RELEASE');
  }
  rollbackToSavepoint(): void {
    this.step('ROLLBACK TO');
  }
  private step(statement: string): void {
    this.log.push(statement);
    if (this.failing === statement) throw new StoreError(`${statement} failed`);
  }
}

function setUp(maxGroup = 256) {
  const control = new RecordingControl();
  const committed: JobContext[][] = [];
  const queue = new GroupCommit(control, { maxGroup, onCommitted: (jobs) => void committed.push([...jobs]) });
  return { control, queue, committed };
}

function gate() {
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

describe('GroupCommit', () => {
  it('runs callers of one tick in one transaction, a savepoint each, and resolves them after COMMIT', async () => {
    const { control, queue } = setUp();
    const results = await Promise.all(
      [1, 2, 3].map((n) => queue.run(async () => n).then((value) => ({ value, log: [...control.log] }))),
    );
    expect(results.map((r) => r.value)).toEqual([1, 2, 3]);
    expect(results.every((r) => r.log.at(-1) === 'COMMIT')).toBe(true);
    const perCaller = ['SAVEPOINT', 'RELEASE'];
    expect(control.log).toEqual(['BEGIN', ...perCaller, ...perCaller, ...perCaller, 'COMMIT']);
    expect(queue.stats()).toMatchObject({ commits: 1, transactions: 3, largestGroup: 3 });
  });

  it('a throwing caller rolls back to its savepoint; its neighbours still commit', async () => {
    const { control, queue, committed } = setUp();
    const outcomes = await Promise.allSettled([
      queue.run(async (job) => {
        job.outboxWritten = true;
        return 'first';
      }),
      queue.run(async () => {
        throw new Error('caller failed');
      }),
      queue.run(async () => 'third'),
    ]);
    expect(outcomes.map((o) => (o.status === 'fulfilled' ? o.value : (o.reason as Error).message))).toEqual([
      'first',
      'caller failed',
      'third',
    ]);
    expect(control.log).toEqual([
      'BEGIN',
      'SAVEPOINT',
      'RELEASE',
      'SAVEPOINT',
      'ROLLBACK TO',
      'RELEASE',
      'SAVEPOINT',
      'RELEASE',
      'COMMIT',
    ]);
    expect(committed).toEqual([[{ outboxWritten: true }, { outboxWritten: false }]]);
  });

  it('a failed COMMIT rejects every caller of the group and rolls back', async () => {
    const { control, queue, committed } = setUp();
    control.failing = 'COMMIT';
    const outcomes = await Promise.allSettled([queue.run(async () => 1), queue.run(async () => 2)]);
    for (const outcome of outcomes) {
      expect(outcome.status).toBe('rejected');
      expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(StoreError);
    }
    expect(control.log.slice(-2)).toEqual(['COMMIT', 'ROLLBACK']);
    expect(committed).toEqual([]);
    expect(queue.stats()).toMatchObject({ commits: 0, failedGroups: 1 });
  });

  it('a failed BEGIN rejects the callers without running their work', async () => {
    const { control, queue } = setUp();
    control.failing = 'BEGIN';
    let ran = false;
    const attempt = queue.run(async () => {
      ran = true;
    });
    await expect(attempt).rejects.toThrow('BEGIN failed');
    expect(ran).toBe(false);
  });

  it('a group holds at most maxGroup callers', async () => {
    const { control, queue } = setUp(2);
    await Promise.all([1, 2, 3, 4, 5].map((n) => queue.run(async () => n)));
    expect(control.log.filter((s) => s === 'COMMIT')).toHaveLength(3);
    expect(queue.stats()).toMatchObject({ commits: 3, transactions: 5, largestGroup: 2 });
  });

  it('a caller arriving while a group runs joins it', async () => {
    const { control, queue } = setUp();
    const release = gate();
    const first = queue.run(async () => {
      await release.opened;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(control.inTransaction).toBe(true);
    const second = queue.run(async () => 'joined');
    release.open();
    await Promise.all([first, second]);
    expect(control.log.filter((s) => s === 'BEGIN')).toHaveLength(1);
  });

  it('a read waits while a transaction is open and runs as soon as it closes', async () => {
    const { control, queue } = setUp();
    const release = gate();
    const writer = queue.run(() => release.opened);
    await new Promise((resolve) => setImmediate(resolve));
    let readWhileOpen: boolean | undefined;
    const read = queue.read(() => {
      readWhileOpen = control.inTransaction;
      return control.log.at(-1);
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(readWhileOpen).toBeUndefined();
    release.open();
    await writer;
    expect(await read).toBe('COMMIT');
    expect(readWhileOpen).toBe(false);
    expect(await queue.read(() => 'at once')).toBe('at once');
  });

  it('runs each caller’s work in the caller’s async context', async () => {
    const { queue } = setUp();
    const context = new AsyncLocalStorage<string>();
    const seen = await Promise.all(
      ['alpha', 'beta'].map((name) => context.run(name, () => queue.run(async () => context.getStore()))),
    );
    expect(seen).toEqual(['alpha', 'beta']);
  });

  it('idle resolves once all queued work has finished', async () => {
    const { queue } = setUp();
    const finished: number[] = [];
    for (const n of [1, 2]) void queue.run(async () => void finished.push(n));
    await queue.idle();
    expect(finished).toEqual([1, 2]);
  });
});

/** A transaction of the shared scheduler that logs its statements under its number; COMMIT may be held. */
class FakeTransaction implements GroupTransaction {
  open = true;
  constructor(
    private readonly id: number,
    private readonly log: string[],
    private readonly commitGate: Promise<void>,
  ) {}
  async savepoint(): Promise<void> {}
  async release(): Promise<void> {}
  async rollbackToSavepoint(): Promise<void> {}
  async commit(): Promise<void> {
    this.log.push(`COMMIT ${this.id} starts`);
    await this.commitGate;
    this.open = false;
    this.log.push(`COMMIT ${this.id} done`);
  }
  async rollback(): Promise<void> {
    this.open = false;
  }
}

describe('SharedGroupCommit with several transactions in flight', () => {
  it('begins and runs the next group while the previous one commits, one running callers at a time', async () => {
    const log: string[] = [];
    const held = gate();
    let opened = 0;
    const queue = new SharedGroupCommit<FakeTransaction>({
      begin: async () => {
        opened++;
        log.push(`BEGIN ${opened}`);
        return new FakeTransaction(opened, log, opened === 1 ? held.opened : Promise.resolve());
      },
      maxGroup: 2,
      maxInFlight: 3,
      onCommitted: () => {},
    });
    let running = 0;
    let mostRunning = 0;
    const work = (n: number) => async () => {
      running++;
      mostRunning = Math.max(mostRunning, running);
      await new Promise((resolve) => setImmediate(resolve));
      running--;
      log.push(`work ${n}`);
      return n;
    };
    const first = [1, 2].map((n) => queue.run(work(n)));
    const later = [3, 4, 5].map((n) => queue.run(work(n)));
    expect(await Promise.all(later)).toEqual([3, 4, 5]);
    expect(log).toContain('COMMIT 1 starts');
    expect(log).not.toContain('COMMIT 1 done');
    held.open();
    expect(await Promise.all(first)).toEqual([1, 2]);
    expect(mostRunning).toBe(1);
    expect(log.indexOf('work 3')).toBeGreaterThan(log.indexOf('COMMIT 1 starts'));
    expect(queue.stats()).toMatchObject({ commits: 3, transactions: 5, largestGroup: 2 });
    await queue.idle();
  });

  it('a failed COMMIT of one group leaves the other groups committed', async () => {
    let opened = 0;
    const queue = new SharedGroupCommit<FakeTransaction>({
      begin: async () => {
        opened++;
        const transaction = new FakeTransaction(opened, [], Promise.resolve());
        if (opened === 1) transaction.commit = async () => Promise.reject(new StoreError('COMMIT failed'));
        return transaction;
      },
      maxGroup: 1,
      maxInFlight: 2,
      onCommitted: () => {},
    });
    const outcomes = await Promise.allSettled([1, 2, 3].map((n) => queue.run(async () => n)));
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
    expect(queue.stats()).toMatchObject({ commits: 2, failedGroups: 1 });
  });
});
