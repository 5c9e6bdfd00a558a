import { readFileSync } from 'node:fs';
import { InvalidInputError } from '@eventloom/core';
import type { Authenticator, NatsConnection, NodeConnectionOptions } from '@nats-io/transport-node';
import { connect, credsAuthenticator, errors, nkeyAuthenticator } from '@nats-io/transport-node';
import { NatsAuthenticationError, NatsUnreachableError } from './errors.js';
import type { NatsConnectionOptions, NatsReconnectOptions } from './options.js';

/**
 * Connects with the options passed through to the NATS client, reconnecting forever (by default)
 * with a wait that grows with the outage. Unreachable servers and refused credentials are typed errors.
 */
export async function connectNats(
  options: NatsConnectionOptions & { readonly reconnect: Required<NatsReconnectOptions> },
): Promise<{ connection: NatsConnection; reconnects: Reconnects }> {
  const servers = typeof options.servers === 'string' ? [options.servers] : [...options.servers];
  const backoff = outageBackoff(options.reconnect);
  let connection: NatsConnection;
  try {
    connection = await connect({ ...clientOptions(options, servers), reconnectDelayHandler: backoff.delay });
  } catch (error) {
    throw connectError(error, servers.join(', '));
  }
  const reconnects = new Reconnects(connection);
  reconnects.listen(backoff.reset);
  return { connection, reconnects };
}

/** Tells listeners about every reconnect (the server forgot this client's pull requests meanwhile). */
export class Reconnects {
  private readonly listeners = new Set<() => void>();

  constructor(connection: NatsConnection) {
    void this.watch(connection);
  }

  /** Returns the function that stops listening. */
  listen(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async watch(connection: NatsConnection): Promise<void> {
    for await (const status of connection.status()) {
      if (status.type === 'reconnect') for (const listener of this.listeners) listener();
    }
  }
}

function clientOptions(options: NatsConnectionOptions, servers: string[]): NodeConnectionOptions {
  const { user, pass, token, tls, connectTimeoutMs, reconnect } = options;
  const authenticator = fileAuthenticator(options);
  return {
    servers,
    name: options.name ?? 'eventloom',
    ...(connectTimeoutMs === undefined ? {} : { timeout: connectTimeoutMs }),
    maxReconnectAttempts: reconnect?.maxAttempts ?? -1,
    // The client would otherwise build an Error per request (each PubAck), for stack traces only.
    noAsyncTraces: true,
    ...(user === undefined ? {} : { user }),
    ...(pass === undefined ? {} : { pass }),
    ...(token === undefined ? {} : { token }),
    ...(authenticator === undefined ? {} : { authenticator }),
    ...(tls === undefined ? {} : { tls: { ...tls } }),
  };
}

function fileAuthenticator(options: NatsConnectionOptions): Authenticator | undefined {
  if (options.credsFile !== undefined) {
    return credsAuthenticator(readSecret(options.credsFile, 'nats.credsFile'));
  }
  if (options.nkeySeedFile !== undefined) {
    const seed = new TextDecoder().decode(readSecret(options.nkeySeedFile, 'nats.nkeySeedFile')).trim();
    return nkeyAuthenticator(new TextEncoder().encode(seed));
  }
  return undefined;
}

function readSecret(path: string, field: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new InvalidInputError(field, `cannot read '${path}': ${(error as Error).message}`, {
      cause: error,
    });
  }
}

function connectError(error: unknown, servers: string): Error {
  if (error instanceof InvalidInputError) return error;
  if (error instanceof errors.AuthorizationError || error instanceof errors.UserAuthenticationExpiredError) {
    return new NatsAuthenticationError(servers, { cause: error });
  }
  return new NatsUnreachableError(servers, { cause: error });
}

/** A reconnect wait of half the outage so far, within [initialMs, maxMs]; stable while it lasts. */
export function outageBackoff(options: Required<NatsReconnectOptions>, now: () => number = Date.now) {
  let outageStart: number | undefined;
  return {
    delay: (): number => {
      outageStart ??= now();
      return Math.min(options.maxMs, Math.max(options.initialMs, (now() - outageStart) / 2));
    },
    reset: (): void => {
      outageStart = undefined;
    },
  };
}
