import type { GroupTransaction } from '@eventloom/core/store-kit';
import type pg from 'pg';
import { query, toStoreError } from './sql.js';

const SAVEPOINT = 'eventloom_caller';

/**
 * One pooled connection in BEGIN … COMMIT at READ COMMITTED, shared by a group of callers, each
 * in its own savepoint. A savepoint's RELEASE rides along with the next SAVEPOINT (or is implied
 * by COMMIT), so a caller costs one round trip beyond its own statements. A connection that
 * failed is closed rather than returned to the pool.
 */
export class PostgresGroupTransaction implements GroupTransaction {
  private broken: Error | undefined;
  private ended = false;
  private releaseDue = false;
  private readonly markBroken = (error: Error) => {
    this.broken ??= error;
  };

  private constructor(readonly client: pg.PoolClient) {
    client.on('error', this.markBroken);
  }

  static async begin(pool: pg.Pool): Promise<PostgresGroupTransaction> {
    const client = await pool.connect().catch((error: unknown) => {
      throw toStoreError(error);
    });
    const transaction = new PostgresGroupTransaction(client);
    try {
      await transaction.run('BEGIN ISOLATION LEVEL READ COMMITTED');
    } catch (error) {
      transaction.markBroken(asError(error));
      transaction.end();
      throw error;
    }
    return transaction;
  }

  get open(): boolean {
    return !this.ended && this.broken === undefined;
  }

  async savepoint(): Promise<void> {
    const release = this.releaseDue ? `RELEASE SAVEPOINT ${SAVEPOINT}; ` : '';
    this.releaseDue = false;
    await this.run(`${release}SAVEPOINT ${SAVEPOINT}`);
  }

  async release(): Promise<void> {
    this.releaseDue = true;
  }

  async rollbackToSavepoint(): Promise<void> {
    await this.run(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}`);
  }

  async commit(): Promise<void> {
    try {
      await this.run('COMMIT');
    } catch (error) {
      // Whether the server committed is unknown: do not reuse the connection.
      this.markBroken(asError(error));
      throw error;
    } finally {
      this.end();
    }
  }

  async rollback(): Promise<void> {
    if (this.ended) return;
    try {
      if (this.broken === undefined) await this.run('ROLLBACK');
    } catch (error) {
      this.markBroken(asError(error));
    } finally {
      this.end();
    }
  }

  private async run(statement: string): Promise<void> {
    await query(this.client, statement);
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.client.off('error', this.markBroken);
    this.client.release(this.broken);
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
