import { createMemoryStore } from '@eventloom/core';
import { waitFor } from '@eventloom/core/testing';
import { jetstreamManager } from '@nats-io/jetstream';
import { expect, it } from 'vitest';
import { EffectsRun } from './testing/effects.js';
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
    const run = new EffectsRun('restart.happened', KEYS, PER_KEY);
    const consumer = await run.startConsumer(store, await transport(), 'restart-effects');
    let stillPublishing = true;
    const publishing = run.publish(await transport()).finally(() => {
      stillPublishing = false;
    });
    await waitFor(async () => (await run.appliedCount(store)) >= 100, { timeoutMs: 30_000 });
    expect(stillPublishing).toBe(true);
    await restartNats();
    await publishing;
    await waitFor(
      async () => (await run.appliedCount(store)) >= KEYS * PER_KEY,
      { timeoutMs: 90_000 },
      () => 'every effect',
    );
    await consumer.stop();
    // Each number once per key, in order: a message in flight at the restart holds its partition
    // back until it comes back, after the ack timeout.
    const everyNumber = Array.from({ length: PER_KEY }, (_, n) => n);
    const effects = Object.fromEntries(await run.effects(store));
    expect(effects).toEqual(Object.fromEntries(Object.keys(effects).map((key) => [key, everyNumber])));
    const reader = await transport();
    const info = await (await jetstreamManager(reader.connection)).streams.info(nats.streamName);
    expect(info.state.messages).toBe(KEYS * PER_KEY);
  }, 180_000);
});
