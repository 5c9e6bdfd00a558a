import { describe, expect, it } from 'vitest';
import { createEnvelope } from '../envelope/create.js';
import type { Envelope } from '../envelope/envelope.js';
import { InvalidInputError, TransportError } from '../errors.js';
import type { Delivery } from '../transport/contract.js';
import { createMemoryTransport } from '../transport/memory/memory-transport.js';
import type { FaultOptions } from './faulty-transport.js';
import { createFaultyTransport, SimulatedCrash, seededRandom } from './faulty-transport.js';
import { quietPeriod, waitFor } from './wait.js';

const always = () => 0;
const messages = (count: number, keys = 1) =>
  Array.from({ length: count }, (_, n) =>
    createEnvelope({ type: 'thing.happened', data: { n }, partitionkey: `key-${n % keys}` }),
  );
const toTopic = (envelopes: readonly Envelope[]) =>
  envelopes.map((envelope) => ({ topic: 'things', envelope }));

async function run(
  faults: FaultOptions,
  envelopes: readonly Envelope[],
  behave: (
    delivery: Delivery,
    faulty: ReturnType<typeof createFaultyTransport>,
  ) => Promise<void> = async () => {},
  maxInFlight = 1,
) {
  const inner = createMemoryTransport({ onError: () => {} });
  const faulty = createFaultyTransport(inner, faults);
  const seen: Array<{ id: string; n: number; key: string; attempt: number }> = [];
  const done = new Set<string>();
  await faulty.subscribe(
    { group: 'g', topics: ['things'], maxInFlight, retryBackoff: { initialMs: 1, maxMs: 2, multiplier: 1 } },
    async (delivery) => {
      const { id, partitionkey: key } = delivery.envelope;
      seen.push({ id, n: (delivery.envelope.data as { n: number }).n, key, attempt: delivery.attempt });
      await behave(delivery, faulty);
      done.add(id);
    },
  );
  await inner.publish(toTopic(envelopes));
  await waitFor(() => envelopes.every((envelope) => done.has(envelope.id)), { timeoutMs: 10_000 });
  await quietPeriod(50);
  await faulty.close();
  return { seen, stats: faulty.stats };
}

describe('faulty transport', () => {
  it('hands a handled delivery over a second time', async () => {
    const envelopes = messages(3);
    const { seen, stats } = await run(
      { random: always, duplicateDelivery: 1, maxFaultsPerMessage: 1 },
      envelopes,
    );
    expect(seen.map(({ n, attempt }) => [n, attempt])).toEqual([
      [0, 1],
      [0, 2],
      [1, 1],
      [1, 2],
      [2, 1],
      [2, 2],
    ]);
    expect(stats.duplicateDelivery).toBe(3);
  });

  it('drops acks, explicit or by resolving, so a finished message comes back', async () => {
    const envelopes = messages(2);
    const answers: boolean[] = [];
    const { seen } = await run(
      { random: always, dropAck: 1, maxFaultsPerMessage: 2 },
      envelopes,
      async (delivery) => {
        if (delivery.envelope.id === envelopes[0]?.id) answers.push(await delivery.ack());
      },
    );
    expect(seen.map(({ n, attempt }) => [n, attempt])).toEqual([
      [0, 1],
      [0, 2],
      [0, 3],
      [1, 1],
      [1, 2],
      [1, 3],
    ]);
    expect(answers).toEqual([true, true, true]);
  });

  it('delays deliveries but never reorders one key', async () => {
    const envelopes = messages(40, 4);
    const { seen, stats } = await run(
      { random: seededRandom(7), delayDelivery: 0.5, maxDelayMs: 15, maxFaultsPerMessage: 1 },
      envelopes,
      async () => {},
      8,
    );
    expect(stats.delayDelivery).toBeGreaterThan(0);
    for (const key of ['key-0', 'key-1', 'key-2', 'key-3']) {
      const order = seen.filter((entry) => entry.key === key).map((entry) => entry.n);
      expect(order).toEqual([...order].sort((a, b) => a - b));
    }
  });

  it('throws at crash points, at most maxFaultsPerMessage times per message', async () => {
    const envelopes = messages(2);
    const crashes: unknown[] = [];
    await run({ random: always, crash: 1, maxFaultsPerMessage: 1 }, envelopes, async (delivery, faulty) => {
      try {
        faulty.crashPoint('before-commit', delivery.envelope.id);
      } catch (error) {
        crashes.push(error);
        throw error;
      }
    });
    expect(crashes).toHaveLength(2);
    expect(crashes[0]).toBeInstanceOf(SimulatedCrash);
    expect(crashes[0]).toMatchObject({ point: 'before-commit' });
  });

  it('fails publishes before or after the broker accepted them, with a typed error', async () => {
    const inner = createMemoryTransport();
    const after = createFaultyTransport(inner, {
      random: always,
      publishFailsAfterAccept: 1,
      maxFaultsPerMessage: 1,
    });
    const before = createFaultyTransport(inner, {
      random: always,
      publishFailsBeforeAccept: 1,
      maxFaultsPerMessage: 1,
    });
    const [accepted, lost] = messages(2);
    const got: string[] = [];
    await inner.subscribe(
      { group: 'g', topics: ['things'] },
      async (delivery) => void got.push(delivery.envelope.id),
    );
    await expect(after.publish(toTopic([accepted as Envelope]))).rejects.toBeInstanceOf(TransportError);
    await expect(before.publish(toTopic([lost as Envelope]))).rejects.toBeInstanceOf(TransportError);
    await after.publish(toTopic([accepted as Envelope]));
    await waitFor(() => got.length >= 2, { timeoutMs: 5_000 });
    await quietPeriod(50);
    expect(got).toEqual([accepted?.id, accepted?.id]);
    expect(after.stats.publishFailsAfterAccept).toBe(1);
    await inner.close();
  });

  it('injects the same faults for the same seed', async () => {
    const faults = () => ({ random: seededRandom(42), duplicateDelivery: 0.3, dropAck: 0.3, crash: 0.2 });
    const envelopes = messages(30);
    const trace = async () => {
      const { seen, stats } = await run(faults(), envelopes, async (delivery, faulty) =>
        faulty.crashPoint('after-work', delivery.envelope.id),
      );
      return { calls: seen.map(({ n, attempt }) => `${n}@${attempt}`), stats };
    };
    const [first, second] = [await trace(), await trace()];
    expect(second).toEqual(first);
    expect(first.stats.duplicateDelivery + first.stats.dropAck + first.stats.crash).toBeGreaterThan(0);
  });

  it('rejects chances outside [0, 1], naming the fault', () => {
    const inner = createMemoryTransport();
    expect(() => createFaultyTransport(inner, { random: always, dropAck: 1.5 })).toThrow(InvalidInputError);
    expect(() => createFaultyTransport(inner, { random: always, dropAck: 1.5 })).toThrow(/faults.dropAck/);
  });
});
