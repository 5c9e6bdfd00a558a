import { AsyncLocalStorage } from 'node:async_hooks';
import { StoreError } from '../errors.js';

interface Scope {
  readonly store: object;
  active: boolean;
}

const scopes = new AsyncLocalStorage<Scope>();

/**
 * Runs `work` marked as inside a transaction of `store`, so that the store can refuse calls
 * made on itself from inside (they would wait for that very transaction to end: a deadlock).
 */
export async function inTransactionScope<T>(store: object, work: () => Promise<T>): Promise<T> {
  const scope: Scope = { store, active: true };
  try {
    return await scopes.run(scope, work);
  } finally {
    // Callbacks the work left behind keep the scope object; they are no longer inside.
    scope.active = false;
  }
}

export function assertOutsideTransaction(store: object, operation: string): void {
  const scope = scopes.getStore();
  if (scope?.active === true && scope.store === store) {
    throw new StoreError(
      `${operation} was called on the store inside one of its own transactions; ` +
        'use the unit of work given to the transaction instead',
    );
  }
}
