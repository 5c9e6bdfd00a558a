import type { Envelope, Transport } from '@eventloom/core';
import { createNatsTransport, type NatsTransport } from '@eventloom/transport-nats';
import {
  AckPolicy,
  DeliverPolicy,
  type JetStreamClient,
  type JetStreamManager,
  jetstream,
  jetstreamManager,
} from '@nats-io/jetstream';
import { connect, headers, type MsgHdrs, type NatsConnection } from '@nats-io/transport-node';
import { counter, withLatency } from './counting.js';
import { type ComparisonRow, compare, type Measurement, measure, printRows } from './measure.js';
import {
  eventloomConsume,
  KEYS,
  MAX_IN_FLIGHT,
  messages,
  PACED_RATE,
  PACED_SECONDS,
  paced,
  printLatencies,
  type Sent,
} from './transport-bench.js';

const MESSAGES = 20_000;
const BATCH = 100;

const run = Date.now().toString(36);
const ourPrefix = `bench-${run}`;
const rawStream = `benchraw-${run}`;

interface Raw {
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
}

/** NATS JetStream transport beside raw @nats-io/jetstream: same server, message size, keys and batches. */
export async function benchNats(): Promise<ComparisonRow[]> {
  const url = process.env.EVENTLOOM_NATS_URL;
  if (url === undefined || url.length === 0) {
    console.log('Skipping the NATS bench: EVENTLOOM_NATS_URL is not set (bash scripts/services.sh up nats).');
    return [];
  }
  const partitions = Number(process.env.EVENTLOOM_BENCH_NATS_PARTITIONS ?? 16);
  const transport = await createNatsTransport({
    servers: url,
    subjectPrefix: ourPrefix,
    stream: { partitions },
  });
  const nc = await connect({ servers: url, name: 'bench-raw', noAsyncTraces: true });
  const raw: Raw = { nc, js: jetstream(nc), jsm: await jetstreamManager(nc) };
  await raw.jsm.streams.add({ name: rawStream, subjects: [`${rawStream}.>`], duplicate_window: 120e9 });
  try {
    const rows = [
      await publishCase(transport, raw),
      await consumeCase(transport, raw),
      await latencyCase(transport, raw),
    ];
    printRows(
      `NATS JetStream (file storage, ${KEYS} keys, batches of ${BATCH}, best of ${ROUNDS} rounds) — raw = js.publish with Nats-Msg-Id / pull consume with acks`,
      rows,
    );
    printLatencies(rows);
    return rows;
  } finally {
    await raw.jsm.streams.delete(rawStream).catch(() => false);
    await raw.jsm.streams.delete(transport.streamName).catch(() => false);
    await transport.close();
    await nc.close();
  }
}

/** What a JetStream user would publish for the same event: JSON body, the same CloudEvents headers, Nats-Msg-Id. */
function rawHeaders(envelope: Envelope): MsgHdrs {
  const h = headers();
  h.set('ce-specversion', '1.0');
  h.set('ce-datacontenttype', 'application/json');
  h.set('ce-schemaversion', String(envelope.schemaversion));
  h.set('ce-id', envelope.id);
  h.set('ce-type', envelope.type);
  h.set('ce-source', envelope.source);
  h.set('ce-time', envelope.time);
  h.set('ce-correlationid', envelope.correlationid);
  h.set('ce-partitionkey', envelope.partitionkey);
  return h;
}

async function rawPublish(raw: Raw, subject: string, batch: readonly Envelope[]): Promise<void> {
  await Promise.all(
    batch.map((envelope) =>
      raw.js.publish(subject, JSON.stringify(envelope.data), {
        msgID: envelope.id,
        headers: rawHeaders(envelope),
      }),
    ),
  );
}

async function ourPublish(transport: Transport, topic: string, batch: readonly Envelope[]): Promise<void> {
  await transport.publish(batch.map((envelope) => ({ topic, envelope })));
}

/** Rounds of each throughput case, raw and Eventloom alternating; the best of each counts (a shared machine is noisy). */
const ROUNDS = 3;

async function bestOf(rounds: number, run: (round: number) => Promise<[Measurement, Measurement]>) {
  let best: [Measurement, Measurement] | undefined;
  for (let round = 1; round <= rounds; round++) {
    const [ours, theirs] = await run(round);
    best = [faster(best?.[0], ours), faster(best?.[1], theirs)];
  }
  return best as [Measurement, Measurement];
}

function faster(a: Measurement | undefined, b: Measurement): Measurement {
  return a !== undefined && a.perSecond >= b.perSecond ? a : b;
}

async function publishCase(transport: NatsTransport, raw: Raw): Promise<ComparisonRow> {
  await ourPublish(transport, 'bench.warmup', messages(BATCH, 'warmup'));
  await rawPublish(raw, `${rawStream}.warmup`, messages(BATCH, 'warmup'));
  const [ours, theirs] = await bestOf(ROUNDS, async (round) => {
    const envelopes = messages(MESSAGES, 'publish');
    const rawMeasured = await measure('raw publish', MESSAGES, async () => {
      for (let start = 0; start < MESSAGES; start += BATCH) {
        await rawPublish(raw, `${rawStream}.publish${round}`, envelopes.slice(start, start + BATCH));
      }
    });
    const measured = await measure('publish', MESSAGES, async () => {
      for (let start = 0; start < MESSAGES; start += BATCH) {
        await ourPublish(transport, `bench.publish${round}`, envelopes.slice(start, start + BATCH));
      }
    });
    return [measured, rawMeasured];
  });
  return compare(`publish, batches of ${BATCH}, every PubAck awaited`, ours, theirs);
}

/** Consumes `MESSAGES` already-published messages; measured from the first delivery to the last. */
async function consumeCase(transport: NatsTransport, raw: Raw): Promise<ComparisonRow> {
  const [ours, theirs] = await bestOf(ROUNDS, async (round) => {
    const envelopes = messages(MESSAGES, 'consume');
    for (let start = 0; start < MESSAGES; start += BATCH) {
      const batch = envelopes.slice(start, start + BATCH);
      await rawPublish(raw, `${rawStream}.consume${round}`, batch);
      await ourPublish(transport, `bench.consume${round}`, batch);
    }
    const rawMeasured = await rawConsume(raw, `consume${round}`, MESSAGES, () => {});
    return [await eventloomConsume(transport, `bench.consume${round}`, MESSAGES, () => {}), rawMeasured];
  });
  return compare(`end-to-end consume + ack, ${MESSAGES} messages`, ours, theirs);
}

async function latencyCase(transport: NatsTransport, raw: Raw): Promise<ComparisonRow> {
  const total = PACED_RATE * PACED_SECONDS;
  const rawLatencies: number[] = [];
  const rawConsuming = rawConsume(raw, 'latency', total, (sent) =>
    rawLatencies.push(performance.now() - sent.sentAt),
  );
  await paced(total, (batch) => rawPublish(raw, `${rawStream}.latency`, batch));
  const rawMeasured = withLatency(await rawConsuming, rawLatencies);
  const ourLatencies: number[] = [];
  const consuming = eventloomConsume(transport, 'bench.latency', total, (sent) =>
    ourLatencies.push(performance.now() - sent.sentAt),
  );
  await paced(total, (batch) => ourPublish(transport, 'bench.latency', batch));
  const ours = withLatency(await consuming, ourLatencies);
  return compare(`publish → handler latency at ${PACED_RATE} msg/s`, ours, rawMeasured);
}

/** A durable pull consumer read with `consume()`, each message parsed and acked: the raw client's way. */
async function rawConsume(raw: Raw, label: string, count: number, onMessage: (sent: Sent) => void) {
  const durable = `${label}-group`;
  await raw.jsm.consumers.add(rawStream, {
    durable_name: durable,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    filter_subject: `${rawStream}.${label}`,
  });
  const consumer = await raw.js.consumers.get(rawStream, durable);
  const done = counter(count);
  const messagesIn = await consumer.consume({ max_messages: MAX_IN_FLIGHT });
  void (async () => {
    for await (const msg of messagesIn) {
      if (msg.headers?.get('ce-id') === undefined) throw new Error('not a CloudEvent');
      onMessage(msg.json<Sent>());
      msg.ack();
      done.tick();
    }
  })();
  const measured = await done.measured('raw consume');
  await messagesIn.close();
  return measured;
}
