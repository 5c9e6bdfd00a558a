import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEnvelope, TransportError } from '@eventloom/core';
import { waitFor } from '@eventloom/core/testing';
import { nkeys } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NatsTransportOptions } from './index.js';
import { createNatsTransport, NatsAuthenticationError, NatsUnreachableError } from './index.js';
import { createTestCertificates, type TestCertificates } from './testing/certificates.js';
import { describeNats, quiet } from './testing/nats.js';
import { freePort, type NatsServerProcess, startNatsServer } from './testing/server.js';

const connectTimeoutMs = 2_000;

/** Connects with `credentials`, publishes one message and reads it back through a group. */
async function roundTrip(url: string, credentials: Partial<NatsTransportOptions>): Promise<void> {
  const transport = await createNatsTransport({
    servers: url,
    connectTimeoutMs,
    onError: quiet,
    ...credentials,
  });
  try {
    const envelope = createEnvelope({ type: 'auth.checked', data: { ok: true } });
    const seen: string[] = [];
    await transport.subscribe({ group: 'auth', topics: ['auth.checked'] }, async (delivery) => {
      seen.push(delivery.envelope.id);
    });
    await transport.publish([{ topic: 'auth.checked', envelope }]);
    await waitFor(() => seen.length > 0, { timeoutMs: 10_000 });
    expect(seen).toEqual([envelope.id]);
  } finally {
    await transport.close();
  }
}

async function refused(url: string, credentials: Partial<NatsTransportOptions>): Promise<unknown> {
  const started = Date.now();
  const error = await createNatsTransport({ servers: url, connectTimeoutMs, ...credentials }).then(
    async (transport) => {
      await transport.close();
      return undefined;
    },
    (rejection: unknown) => rejection,
  );
  expect(Date.now() - started).toBeLessThan(connectTimeoutMs + 2_000);
  return error;
}

describeNats('NATS authentication and TLS, on a second server started by the test', () => {
  describe('with a token', () => {
    let server: NatsServerProcess;
    beforeAll(async () => {
      server = await startNatsServer(['--auth', 's3cret-token']);
    });
    afterAll(() => server?.stop());

    it('connects, publishes and consumes with the right token', () =>
      roundTrip(server.url, { token: 's3cret-token' }));

    it.each([
      ['a wrong token', { token: 'not-it' }],
      ['no token', {}],
    ])('refuses %s with a NatsAuthenticationError', async (_name, credentials) => {
      const error = await refused(server.url, credentials);
      expect(error).toBeInstanceOf(NatsAuthenticationError);
      expect(error).toBeInstanceOf(TransportError);
    });
  });

  describe('with a user and password', () => {
    let server: NatsServerProcess;
    beforeAll(async () => {
      server = await startNatsServer(['--user', 'eventloom', '--pass', 'pa55word']);
    });
    afterAll(() => server?.stop());

    it('connects, publishes and consumes with the right password', () =>
      roundTrip(server.url, { user: 'eventloom', pass: 'pa55word' }));

    it('refuses a wrong password with a NatsAuthenticationError', async () => {
      expect(await refused(server.url, { user: 'eventloom', pass: 'wrong' })).toBeInstanceOf(
        NatsAuthenticationError,
      );
    });
  });

  describe('with an NKey seed file', () => {
    const user = nkeys.createUser();
    let server: NatsServerProcess;
    let folder: string;
    beforeAll(async () => {
      folder = await mkdtemp(join(tmpdir(), 'eventloom-nkey-'));
      await writeFile(join(folder, 'user.nk'), user.getSeed());
      await writeFile(
        join(folder, 'server.conf'),
        `authorization { users: [ { nkey: "${user.getPublicKey()}" } ] }\n`,
      );
      server = await startNatsServer(['-c', join(folder, 'server.conf')]);
    });
    afterAll(async () => {
      await server?.stop();
      await rm(folder, { recursive: true, force: true });
    });

    it('connects, publishes and consumes by signing with the seed', () =>
      roundTrip(server.url, { nkeySeedFile: join(folder, 'user.nk') }));

    it('refuses another key with a NatsAuthenticationError', async () => {
      await writeFile(join(folder, 'other.nk'), nkeys.createUser().getSeed());
      expect(await refused(server.url, { nkeySeedFile: join(folder, 'other.nk') })).toBeInstanceOf(
        NatsAuthenticationError,
      );
    });
  });

  describe('with mutual TLS', () => {
    let server: NatsServerProcess;
    let certificates: TestCertificates;
    beforeAll(async () => {
      certificates = await createTestCertificates();
      const { ca, serverCert, serverKey } = certificates;
      server = await startNatsServer([
        '--tlsverify',
        '--tlscert',
        serverCert,
        '--tlskey',
        serverKey,
        '--tlscacert',
        ca,
      ]);
    });
    afterAll(async () => {
      await server?.stop();
      await certificates?.remove();
    });

    it('connects, publishes and consumes with a client certificate', () => {
      const { ca, clientCert, clientKey } = certificates;
      return roundTrip(server.url, { tls: { caFile: ca, certFile: clientCert, keyFile: clientKey } });
    });

    it('refuses a client without a certificate with a typed error', async () => {
      expect(await refused(server.url, { tls: { caFile: certificates.ca } })).toBeInstanceOf(TransportError);
    });
  });

  it('reports a server nothing answers on as a NatsUnreachableError within the connect timeout', async () => {
    const error = await refused(`nats://127.0.0.1:${await freePort()}`, {});
    expect(error).toBeInstanceOf(NatsUnreachableError);
    expect(error).toBeInstanceOf(TransportError);
  });
});
