import { type Connection, type Statements, storeFailure } from './connection.js';
import type { TransactionControl } from './group-commit.js';

const SAVEPOINT = 'eventloom_caller';

/** BEGIN IMMEDIATE takes the write lock up front, so a group never fails half-way for want of it. */
export class SqliteTransactionControl implements TransactionControl {
  constructor(
    private readonly db: Connection,
    private readonly sql: Statements,
  ) {}

  get inTransaction(): boolean {
    return this.db.open && this.db.inTransaction;
  }

  begin(): void {
    this.run('BEGIN IMMEDIATE', 'begin a transaction');
  }

  commit(): void {
    this.run('COMMIT', 'commit');
  }

  rollback(): void {
    this.run('ROLLBACK', 'roll back');
  }

  savepoint(): void {
    this.run(`SAVEPOINT ${SAVEPOINT}`, 'open a savepoint');
  }

  release(): void {
    this.run(`RELEASE ${SAVEPOINT}`, 'release a savepoint');
  }

  rollbackToSavepoint(): void {
    this.run(`ROLLBACK TO ${SAVEPOINT}`, 'roll back to a savepoint');
  }

  private run(statement: string, operation: string): void {
    try {
      this.sql.get(statement).run();
    } catch (error) {
      throw storeFailure(error, operation);
    }
  }
}
