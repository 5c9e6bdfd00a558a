import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  createEnvelope,
  type EventStore,
  OutboxRelay,
  type OutgoingMessage,
  type Transport,
} from '@eventloom/core';
import { waitFor } from '@eventloom/core/testing';
import { afterEach, expect, it } from 'vitest';
import { describePostgres, freshStores, postgresUrl } from './testing/postgres.js';

const LEASE_TTL_MS = 1_500;
const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));

/** A relay in a process of its own (the built package), which the test kills with SIGKILL. */
const RELAY_PROCESS = `
  import { OutboxRelay, createMemoryTransport } from '@eventloom/core';
  import { openPostgresStore } from '@eventloom/store-postgres';
  const store = await openPostgresStore({ connectionString: process.env.PG_URL, schema: process.env.PG_SCHEMA, poolSize: 2 });
  const relay = new OutboxRelay(store, {
    transport: createMemoryTransport(), owner: 'doomed', leaseTtlMs: ${LEASE_TTL_MS}, pollIntervalMs: 100,
  });
  relay.start();`;

/** Remembers what the standby published. */
function recordingTransport(): Transport & { published: string[] } {
  const published: string[] = [];
  return {
    kind: 'recording',
    capabilities: { replayFromStart: false, perKeyOrder: true, maxMessageBytes: 1024 * 1024 },
    published,
    async publish(batch: readonly OutgoingMessage[]) {
      published.push(...batch.map((message) => message.envelope.id));
    },
    async subscribe() {
      throw new Error('publish only');
    },
    async close() {},
  };
}

/** Whether another owner holds the relay lease (a free one is taken for 1 ms and given back). */
async function relayLeaseHeld(store: EventStore): Promise<boolean> {
  const free = await store.acquireLease('eventloom.outbox-relay', 'probe', 1);
  if (free) await store.releaseLease('eventloom.outbox-relay', 'probe');
  return !free;
}

const enqueue = (store: EventStore, id: string) =>
  store.transaction((uow) => uow.enqueue([createEnvelope({ type: 'relayed', data: {}, id })]));

describePostgres('PostgreSQL store: one active relay, a standby takes over', () => {
  const stores = freshStores();
  let child: ChildProcess | undefined;
  afterEach(() => {
    child?.kill('SIGKILL');
  });

  it('when the active relay process dies, the standby publishes within seconds', async () => {
    const schema = stores.newSchema();
    const store = await stores.openIn(schema);
    child = spawn(process.execPath, ['--input-type=module', '-e', RELAY_PROCESS], {
      cwd: PACKAGE_DIR,
      env: { ...process.env, PG_URL: postgresUrl, PG_SCHEMA: schema },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    await waitFor(
      async () => relayLeaseHeld(store),
      { timeoutMs: 20_000 },
      () => 'the relay process to take the lease',
    );

    const transport = recordingTransport();
    const standby = new OutboxRelay(store, {
      transport,
      owner: 'standby',
      leaseTtlMs: LEASE_TTL_MS,
      pollIntervalMs: 100,
    });
    standby.start();
    await enqueue(store, 'while-the-first-lives');
    await waitFor(
      async () => (await store.outboxBacklog()).pending === 0,
      { timeoutMs: 10_000 },
      () => 'the first relay to publish',
    );
    expect(transport.published).toEqual([]);

    child.kill('SIGKILL');
    const killedAt = Date.now();
    await enqueue(store, 'after-the-crash');
    await waitFor(
      () => transport.published.includes('after-the-crash'),
      { timeoutMs: 15_000 },
      () => 'the standby to publish',
    );
    const takeoverMs = Date.now() - killedAt;
    expect(takeoverMs).toBeLessThan(LEASE_TTL_MS + 5_000);
    expect(transport.published).toEqual(['after-the-crash']);
    await standby.stop();
    await store.close();
  });
});
