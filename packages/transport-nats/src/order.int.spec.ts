import type { Delivery, Subscription } from '@eventloom/core';
import { createEnvelope } from '@eventloom/core';
import { quietPeriod, waitFor } from '@eventloom/core/testing';
import { jetstream } from '@nats-io/jetstream';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { expect, it } from 'vitest';
import { partitionOf } from './index.js';
import { closedAfterEach, describeNats, freshTransports } from './testing/nats.js';

interface Call {
  readonly key: string;
  readonly n: number;
  readonly attempt: number;
  readonly member: number;
}

const callOf = (delivery: Delivery, member: number): Call => ({
  key: delivery.envelope.partitionkey,
  n: (delivery.envelope.data as { n: number }).n,
  attempt: delivery.attempt,
  member,
});

const numbersOf = (calls: readonly Call[], key: string) =>
  calls.filter((call) => call.key === key).map((call) => call.n);

/** The first key after `from` that lands on (or off) the partition of `of`. */
function keyWhere(of: string, samePartition: boolean, partitions: number): string {
  const target = partitionOf(of, partitions);
  for (let n = 0; ; n++) {
    const key = `${of}-${n}`;
    if ((partitionOf(key, partitions) === target) === samePartition) return key;
  }
}

describeNats('NATS per-key order across the members of a group', () => {
  const nats = freshTransports();
  const transport = closedAfterEach(nats);

  it('holds while members leave (closing gracefully) and join in the middle of a run', async () => {
    const topic = 'order.churn';
    const group = 'order.churn';
    const keys = 24;
    const perKey = 25;
    const calls: Call[] = [];
    const handler = (member: number) => async (delivery: Delivery) => {
      calls.push(callOf(delivery, member));
      await quietPeriod(1);
    };
    const members: Subscription[] = [];
    let joined = 0;
    const join = async () => {
      const member = joined++;
      members.push(
        await (await transport()).subscribe({ group, topics: [topic], maxInFlight: 8 }, handler(member)),
      );
    };
    for (let i = 0; i < 3; i++) await join();
    const envelopes = Array.from({ length: keys * perKey }, (_, i) =>
      createEnvelope({ type: topic, data: { n: Math.floor(i / keys) }, partitionkey: `key-${i % keys}` }),
    );
    const publisher = await transport();
    for (let start = 0; start < envelopes.length; start += 20) {
      await publisher.publish(envelopes.slice(start, start + 20).map((envelope) => ({ topic, envelope })));
    }
    for (const progress of [0.2, 0.4, 0.6]) {
      await waitFor(() => calls.length >= envelopes.length * progress, { timeoutMs: 30_000 });
      await members.shift()?.close();
      await join();
    }
    await waitFor(() => calls.length >= envelopes.length, { timeoutMs: 60_000 });
    await quietPeriod(300);
    // Every message once (a graceful close gives back only what no handler started), in order per key.
    for (let key = 0; key < keys; key++) {
      expect(numbersOf(calls, `key-${key}`)).toEqual(Array.from({ length: perKey }, (_, n) => n));
    }
    expect(new Set(calls.map((call) => call.member)).size).toBeGreaterThan(3);
  }, 120_000);

  it("holds a crashed member's message's partition back until its ack timeout, then hands that message out first", async () => {
    const topic = 'order.crash';
    const group = 'order.crash';
    const ackTimeoutMs = 1_500;
    const options = { group, topics: [topic], ackTimeoutMs };
    const doomed = await transport({ closeTimeoutMs: 500 });
    const key = 'crash';
    const elsewhere = keyWhere(key, false, doomed.partitions);
    let taken: number | undefined;
    let crashed = false;
    const calls: Call[] = [];
    // A live member: it extends its lease while its handler of key 'crash' runs, until its connection dies.
    await doomed.subscribe(options, async (delivery) => {
      if (delivery.envelope.partitionkey !== key) {
        calls.push(callOf(delivery, 0));
        return;
      }
      taken ??= Date.now();
      while (!crashed) {
        await quietPeriod(200);
        await delivery.extend().catch(() => {});
      }
    });
    const messages = [
      ...[0, 1, 2, 3, 4].map((n) => createEnvelope({ type: topic, data: { n }, partitionkey: key })),
      createEnvelope({ type: topic, data: { n: 0 }, partitionkey: elsewhere }),
    ];
    await doomed.publish(messages.slice(0, 5).map((envelope) => ({ topic, envelope })));
    await waitFor(() => taken !== undefined, { timeoutMs: 10_000 });

    await (await transport()).subscribe(options, async (delivery) => {
      calls.push(callOf(delivery, 1));
    });
    await doomed.publish(messages.slice(5).map((envelope) => ({ topic, envelope })));
    await waitFor(() => numbersOf(calls, elsewhere).length === 1, { timeoutMs: 10_000 });
    await quietPeriod(2 * ackTimeoutMs);
    expect(numbersOf(calls, key)).toEqual([]);

    const crashedAt = Date.now();
    await doomed.connection.close();
    crashed = true;
    await waitFor(() => numbersOf(calls, key).length === 5, { timeoutMs: 20_000 });
    expect(Date.now() - crashedAt).toBeGreaterThanOrEqual(ackTimeoutMs - 500);
    expect(calls.filter((call) => call.key === key).map(({ n, attempt }) => [n, attempt])).toEqual([
      [0, 2],
      [1, 1],
      [2, 1],
      [3, 1],
      [4, 1],
    ]);
  }, 60_000);

  it('lets a failing message hold back the other keys of its partition, and no other partition', async () => {
    const topic = 'order.partition';
    const member = await transport();
    const held = 'held';
    const sharing = keyWhere(held, true, member.partitions);
    const apart = keyWhere(held, false, member.partitions);
    let holdingBack = true;
    const calls: Call[] = [];
    await member.subscribe(
      {
        group: 'order.partition',
        topics: [topic],
        maxDeliveries: 1_000,
        retryBackoff: { initialMs: 10, maxMs: 20, multiplier: 2 },
      },
      async (delivery) => {
        const call = callOf(delivery, 0);
        if (call.key === held && holdingBack) throw new Error('not yet');
        calls.push(call);
      },
    );
    const envelopes = [held, sharing, apart].map((partitionkey) =>
      createEnvelope({ type: topic, data: { n: 0 }, partitionkey }),
    );
    await member.publish(envelopes.map((envelope) => ({ topic, envelope })));
    await waitFor(() => calls.some((call) => call.key === apart), { timeoutMs: 10_000 });
    await quietPeriod(1_000);
    expect(calls.map((call) => call.key)).toEqual([apart]);
    holdingBack = false;
    await waitFor(() => calls.length === 3, { timeoutMs: 10_000 });
    expect(calls.map((call) => call.key)).toEqual([apart, held, sharing]);
  });

  it('does not deliver what was published under the unpartitioned layout (`<prefix>.<topic>`) of earlier versions', async () => {
    const topic = 'order.legacy';
    const member = await transport();
    const got: string[] = [];
    await member.subscribe({ group: 'order.legacy', topics: [topic] }, async (delivery) => {
      got.push(delivery.envelope.id);
    });
    const legacy = createEnvelope({ type: topic, data: {} });
    const headers = natsHeaders();
    headers.set('ce-specversion', '1.0');
    await jetstream(member.connection).publish(`${nats.prefix}.${topic}`, JSON.stringify(legacy.data), {
      headers,
    });
    const current = createEnvelope({ type: topic, data: {} });
    await member.publish([{ topic, envelope: current }]);
    await waitFor(() => got.length > 0, { timeoutMs: 10_000 });
    await quietPeriod(500);
    expect(got).toEqual([current.id]);
    expect(await member.consumerLag('order.legacy')).toEqual([{ topic: member.streamName, lag: 0 }]);
  });
});
