import { EventloomError, TransportError, withTimeout } from '@eventloom/core';

/**
 * Runs one SDK call with a deadline: past `timeoutMs` the request is aborted and the call rejects
 * with a TransportTimeoutError; any other failure becomes a TransportError naming what was tried.
 */
export async function awsCall<T>(
  what: string,
  timeoutMs: number,
  send: (abortSignal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  try {
    return await withTimeout(send(controller.signal), timeoutMs, what);
  } catch (error) {
    throw asTransportError(error, what);
  } finally {
    controller.abort();
  }
}

export function asTransportError(error: unknown, what: string): EventloomError {
  if (error instanceof EventloomError) return error;
  const name = error instanceof Error ? error.name : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  return new TransportError(`${what} failed: ${name}: ${message}`, { cause: error });
}

/** The SDK's name for a service error, e.g. `NotFound` or `AWS.SimpleQueueService.NonExistentQueue`. */
export function errorName(error: unknown): string | undefined {
  const cause = error instanceof TransportError ? error.cause : error;
  return cause instanceof Error ? cause.name : undefined;
}
