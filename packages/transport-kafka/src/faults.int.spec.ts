import { afterEach, expect, it } from 'vitest';
import { EffectsWorkload } from './testing/effects.js';
import { describeKafka, restartBroker, testTransport, uniqueName } from './testing/kafka.js';
import type { KafkaTransport } from './transport.js';

const KEYS = 12;
const PER_KEY = 40;

describeKafka('Kafka transport under faults: every effect exactly once, in order per key', () => {
  const opened: KafkaTransport[] = [];
  let workload: EffectsWorkload | undefined;
  const transport = () => {
    const created = testTransport();
    opened.push(created);
    return created;
  };

  afterEach(async () => {
    await workload?.close();
    await Promise.allSettled(opened.splice(0).map((created) => created.close()));
  });

  const expectExactlyOnceInOrder = async (run: EffectsWorkload) => {
    const inOrder = Array.from({ length: PER_KEY }, (_, n) => n);
    for (const seen of (await run.effects()).values()) expect(seen).toEqual(inOrder);
  };

  it('a broker restart mid-run loses nothing and applies nothing twice', async () => {
    workload = new EffectsWorkload(uniqueName('restart'), uniqueName('restart-group'), KEYS, PER_KEY);
    await workload.startConsumer(transport());
    await workload.startConsumer(transport());
    const publishing = workload.publish(transport());
    const run = workload;
    await waitUntil(async () => (await run.appliedCount()) >= 60);
    await restartBroker();
    await publishing;
    await run.waitForAll(120_000);
    await expectExactlyOnceInOrder(run);
  }, 240_000);

  it('a member joining and leaving mid-run loses nothing and applies nothing twice', async () => {
    workload = new EffectsWorkload(uniqueName('rebalance'), uniqueName('rebalance-group'), KEYS, PER_KEY);
    const run = workload;
    await run.startConsumer(transport());
    const publishing = run.publish(transport(), 10, 40);
    await waitUntil(async () => (await run.appliedCount()) >= 100);
    const joiner = await run.startConsumer(transport());
    await waitUntil(async () => (await run.appliedCount()) >= 250);
    await joiner.stop();
    await publishing;
    await run.waitForAll(60_000);
    await expectExactlyOnceInOrder(run);
    expect(run.handledBy[1]).toBeGreaterThan(0);
  }, 120_000);
});

async function waitUntil(condition: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
