import type { Envelope, EventStore, Transport } from '@eventloom/core';
import { createEnvelope, createMemoryStore, OutboxRelay, TransportError } from '@eventloom/core';
import { waitFor } from '@eventloom/core/testing';
import { describe, expect, it } from 'vitest';
import { motoEnv, runPrefix, transportOptions } from './testing/moto.js';
import { moto, SCRIPT_MOTO_ENDPOINT } from './testing/services.js';
import { createSqsTransport } from './transport.js';

const env = motoEnv();
const ours = env?.endpoint === SCRIPT_MOTO_ENDPOINT;
if (env !== undefined && !ours)
  console.warn(`Skipping the outage test: ${env.endpoint} is not the script's moto`);

const TOPIC = 'outage.happened';
const GROUP = 'outage-consumer';
const PUBLISH_TIMEOUT_MS = 3_000;

describe.skipIf(!ours)('SNS/SQS endpoint going away and coming back', () => {
  if (env === undefined) return;

  it('publishes fail with a typed error, the outbox keeps the rows, and they arrive once it is back', async () => {
    const transport = createSqsTransport(
      transportOptions(env, {
        namePrefix: runPrefix('out'),
        clients: {},
        maxAttempts: 2,
        callTimeoutMs: PUBLISH_TIMEOUT_MS,
        publishTimeoutMs: PUBLISH_TIMEOUT_MS,
      }),
    );
    const store = createMemoryStore();
    const received = new Set<string>();
    const relayFailures: unknown[] = [];
    const arrived = (envelopes: readonly Envelope[]) => envelopes.every(({ id }) => received.has(id));
    const relay = startRelay(store, transport, relayFailures);
    try {
      await transport.subscribe({ group: GROUP, topics: [TOPIC], ackTimeoutMs: 2_000 }, async (delivery) => {
        received.add(delivery.envelope.id);
      });
      const before = await enqueue(store, 10);
      await waitFor(
        () => arrived(before),
        { timeoutMs: 30_000 },
        () => 'the messages sent before the outage',
      );

      await moto('down');
      const started = Date.now();
      await expect(transport.publish([{ topic: TOPIC, envelope: anEnvelope(0) }])).rejects.toBeInstanceOf(
        TransportError,
      );
      expect(Date.now() - started).toBeLessThan(PUBLISH_TIMEOUT_MS + 1_000);
      const during = await enqueue(store, 10);
      await waitFor(
        () => relayFailures.length >= 2,
        { timeoutMs: 30_000 },
        () => 'the relay to fail twice',
      );
      expect(relayFailures.every((error) => error instanceof TransportError)).toBe(true);
      expect((await store.outboxBacklog()).pending).toBe(during.length);

      // moto comes back empty: the test re-creates what it had (the relay's publishes wait for that).
      await moto('up');
      await transport.provision({ group: GROUP, topics: [TOPIC] });
      const after = await enqueue(store, 10);
      await waitFor(
        () => arrived(during) && arrived(after),
        { timeoutMs: 60_000 },
        () => `the rows kept through the outage and new ones; ${received.size} of 30 so far`,
      );
      expect((await store.outboxBacklog()).pending).toBe(0);
    } finally {
      await moto('up');
      await relay.stop();
      await transport.close();
      await store.close();
    }
  }, 180_000);
});

function startRelay(store: EventStore, transport: Transport, failures: unknown[]): OutboxRelay {
  const relay = new OutboxRelay(store, {
    transport,
    pollIntervalMs: 50,
    retryBackoff: { initialMs: 50, maxMs: 500, multiplier: 2 },
    drainTimeoutMs: 500,
    observer: { failed: (error) => failures.push(error) },
  });
  relay.start();
  return relay;
}

let sequence = 0;

function anEnvelope(n: number): Envelope {
  return createEnvelope({ type: TOPIC, data: { n }, partitionkey: `key-${n % 3}` });
}

async function enqueue(store: EventStore, count: number): Promise<Envelope[]> {
  const envelopes = Array.from({ length: count }, () => anEnvelope(++sequence));
  await store.transaction((uow) => uow.enqueue(envelopes));
  return envelopes;
}
