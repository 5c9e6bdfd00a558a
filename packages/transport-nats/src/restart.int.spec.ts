import { createMemoryStore } from '@eventloom/core';
import { KeyedEffects, waitFor } from '@eventloom/core/testing';
import { jetstreamManager } from '@nats-io/jetstream';
import { expect, it } from 'vitest';
import { closedAfterEach, describeNats, freshTransports, restartNats } from './testing/nats.js';

const KEYS = 12;
const PER_KEY = 40;

describeNats('NATS server restart in the middle of a publish and consume run', () => {
  const nats = freshTransports();
  const createTransport = closedAfterEach(nats);
  const transport = () => createTransport({ publishTimeoutMs: 2_000 });

  it('loses nothing, applies nothing twice or out of order, and stores each message once', async (context) => {
    if (restartNats === undefined)
      return context.skip('the NATS server is external: it cannot be restarted here');
    const store = createMemoryStore();
    const run = new KeyedEffects({ store, topic: 'restart.happened', keys: KEYS, perKey: PER_KEY });
    const consumer = await run.startConsumer({
      transport: await transport(),
      group: 'restart-effects',
      subscription: { ackTimeoutMs: 2_000, maxInFlight: 16 },
    });
    let stillPublishing = true;
    const publishing = run.publish(await transport(), { batchSize: 10, retryMs: 50 }).finally(() => {
      stillPublishing = false;
    });
    await waitFor(async () => (await run.appliedCount()) >= 100, { timeoutMs: 30_000 });
    expect(stillPublishing).toBe(true);
    await restartNats();
    await publishing;
    await run.waitForAll(90_000);
    await consumer.stop();
    // Each number once per key, in order: a message in flight at the restart holds its partition
    // back until it comes back, after the ack timeout.
    const everyNumber = Array.from({ length: PER_KEY }, (_, n) => n);
    const effects = Object.fromEntries(await run.effects());
    expect(effects).toEqual(Object.fromEntries(Object.keys(effects).map((key) => [key, everyNumber])));
    const reader = await transport();
    const info = await (await jetstreamManager(reader.connection)).streams.info(nats.streamName);
    expect(info.state.messages).toBe(KEYS * PER_KEY);
  }, 180_000);
});
