import { createEnvelope, type Envelope, type Transport } from '@eventloom/core';
import { counter } from './counting.js';
import type { ComparisonRow, Measurement } from './measure.js';

/** What the broker suites share, so that each compares the same work: keys, pacing, consumer. */
export const KEYS = 100;
export const PACED_RATE = 2_000;
export const PACED_SECONDS = 5;
export const MAX_IN_FLIGHT = 256;
const TICK_MS = 10;

/** The payload of every bench message: its number and, in the latency case, when it was sent. */
export type Sent = { n: number; sentAt: number };

export function messages(count: number, label: string): Envelope[] {
  return Array.from({ length: count }, (_, n) =>
    createEnvelope({ type: `bench.${label}`, data: { n, sentAt: 0 }, partitionkey: `key-${n % KEYS}` }),
  );
}

/** Publishes `total` messages at PACED_RATE, a batch per tick, stamping each with its send time. */
export async function paced(total: number, send: (batch: Envelope[]) => Promise<void>): Promise<void> {
  const perTick = (PACED_RATE * TICK_MS) / 1_000;
  const started = performance.now();
  const sending: Promise<void>[] = [];
  for (let tick = 0; tick * perTick < total; tick++) {
    const wait = started + tick * TICK_MS - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const now = performance.now();
    const batch = Array.from({ length: perTick }, (_, i) => {
      const n = tick * perTick + i;
      return createEnvelope({
        type: 'bench.latency',
        data: { n, sentAt: now },
        partitionkey: `key-${n % KEYS}`,
      });
    });
    sending.push(send(batch));
  }
  await Promise.all(sending);
}

/** Subscribes a group of one to `topic` and measures from its first delivery to its `count`th. */
export async function eventloomConsume(
  transport: Transport,
  topic: string,
  count: number,
  onMessage: (sent: Sent) => void,
): Promise<Measurement> {
  const done = counter(count);
  const subscription = await transport.subscribe(
    { group: `${topic}-group`, topics: [topic], maxInFlight: MAX_IN_FLIGHT },
    async (delivery) => {
      onMessage(delivery.envelope.data as Sent);
      done.tick();
    },
  );
  const measured = await done.measured('consume');
  await subscription.close();
  return measured;
}

export function printLatencies(rows: readonly ComparisonRow[]): void {
  for (const row of rows.filter((row) => row.eventloom.p50Ms !== undefined)) {
    console.log(
      `${row.case}: p50 ${row.eventloom.p50Ms?.toFixed(1)} / p99 ${row.eventloom.p99Ms?.toFixed(1)} ms (eventloom),`,
      `p50 ${row.raw.p50Ms?.toFixed(1)} / p99 ${row.raw.p99Ms?.toFixed(1)} ms (raw)`,
    );
  }
}
