import { TransportError, TransportTimeoutError } from '@eventloom/core';
import { JetStreamApiError } from '@nats-io/jetstream';
import { errors } from '@nats-io/transport-node';

/** No server of the list could be reached (refused, unresolvable, timed out). */
export class NatsUnreachableError extends TransportError {
  constructor(servers: string, options?: { cause?: unknown }) {
    super(`no NATS server answered at ${servers}`, { ...options, code: 'transport-unavailable' });
  }
}

/** A server answered but refused the credentials (user/password, token, NKey, creds or TLS identity). */
export class NatsAuthenticationError extends TransportError {
  constructor(servers: string, options?: { cause?: unknown }) {
    super(`the NATS server at ${servers} refused the credentials`, {
      ...options,
      code: 'transport-authentication',
    });
  }
}

/** Turns what the NATS client threw into the typed transport error a caller can retry on. */
export function transportErrorOf(error: unknown, what: string, timeoutMs: number): Error {
  if (error instanceof TransportError) return error;
  if (error instanceof errors.TimeoutError) return new TransportTimeoutError(what, timeoutMs);
  if (isNoResponders(error)) {
    return new TransportError(
      `${what}: JetStream did not answer (is it enabled on the server, and the stream there?)`,
      {
        cause: error,
        code: 'transport-unavailable',
      },
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  return new TransportError(`${what} failed: ${message}`, { cause: error });
}

function isNoResponders(error: unknown): boolean {
  return (
    error instanceof errors.NoRespondersError ||
    (error instanceof Error && error.name === 'JetStreamNotEnabled') ||
    (error instanceof errors.RequestError && error.isNoResponders())
  );
}

/** Whether JetStream refused the request with this API error code. */
export function hasApiCode(error: unknown, code: number): boolean {
  return error instanceof JetStreamApiError && error.code === code;
}
