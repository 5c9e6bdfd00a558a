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
export function inTransactionScope<T>(store: object, work: () => Promise<T>): Promise<T> {
  const scope: Scope = { store, active: true };
  // Callbacks the work leaves behind keep the scope object; once it settles they are no longer inside.
  const leave = () => {
    scope.active = false;
  };
  let running: Promise<T>;
  try {
    running = Promise.resolve(scopes.run(scope, work));
  } catch (error) {
    leave();
    return Promise.reject(error);
  }
  return running.then(
    (result) => {
      leave();
      return result;
    },
    (error: unknown) => {
      leave();
      throw error;
    },
  );
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
