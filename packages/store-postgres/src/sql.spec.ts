import { StoreError, TransactionConflictError } from '@eventloom/core';
import { describe, expect, it } from 'vitest';
import { toStoreError } from './sql.js';

const serverError = (code: string) => Object.assign(new Error('could not go on'), { code });

describe('toStoreError', () => {
  it.each(['40P01', '40001'])(
    'SQLSTATE %s (deadlock, serialization) is a retryable TransactionConflictError',
    (code) => {
      const error = toStoreError(serverError(code));
      expect(error).toBeInstanceOf(TransactionConflictError);
      expect(error).toBeInstanceOf(StoreError);
      expect(error).toMatchObject({ code: 'transaction-conflict' });
      expect(error.message).toContain(`SQLSTATE ${code}`);
    },
  );

  it('other failures are plain StoreErrors that keep the driver error as cause', () => {
    const cause = serverError('23505');
    const error = toStoreError(cause);
    expect(error).toBeInstanceOf(StoreError);
    expect(error).not.toBeInstanceOf(TransactionConflictError);
    expect(error.cause).toBe(cause);
  });
});
