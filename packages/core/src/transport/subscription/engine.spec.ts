import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEnvelope } from '../../envelope/create.js';
import type { Envelope } from '../../envelope/envelope.js';
import { encodeBinary } from '../binding.js';
import type { DeliveryHandler, SubscribeOptions } from '../contract.js';
import { DEAD_LETTER_HEADERS } from '../contract.js';
import { decodeHeaderValue } from '../header-value.js';
import { startSubscription } from './engine.js';
import { resolveSubscribeOptions } from './options.js';
import { UNDECODABLE_MESSAGE_TYPE } from './poison.js';
import type { DeliverySource, RawDelivery } from './source.js';

const binding = { headerPrefix: 'ce_' };

class FakeDelivery implements RawDelivery {
  state: 'held' | 'acked' | 'nacked' = 'held';
  extensions = 0;
  constructor(
    readonly topic: string,
    readonly headers: Readonly<Record<string, string>>,
    readonly body: Uint8Array,
    readonly brokerAttempt: number,
    private readonly source: FakeSource,
  ) {}
  async ack() {
    return this.settle('acked');
  }
  async nack() {
    return this.settle('nacked');
  }
  async extend() {
    this.extensions += 1;
  }
  private settle(state: 'acked' | 'nacked'): boolean {
    if (this.state !== 'held') return false;
    this.state = state;
    this.source.held -= 1;
    return true;
  }
}

/** A scripted broker: deliveries are queued by the test; it records what the engine does. */
class FakeSource implements DeliverySource {
  readonly delivered: FakeDelivery[] = [];
  readonly published: Array<{ topic: string; headers: Readonly<Record<string, string>>; body: Uint8Array }> =
    [];
  held = 0;
  mostHeld = 0;
  closed = false;
  publishFailures = 0;
  private readonly ready: FakeDelivery[] = [];
  private wake: () => void = () => {};

  offer(envelope: Envelope, brokerAttempt = 1): FakeDelivery {
    const { headers, body } = encodeBinary(envelope, binding);
    return this.offerRaw(headers, body, brokerAttempt);
  }

  offerRaw(headers: Record<string, string>, body: Uint8Array, brokerAttempt = 1): FakeDelivery {
    const delivery = new FakeDelivery('orders', headers, body, brokerAttempt, this);
    this.ready.push(delivery);
    this.wake();
    return delivery;
  }

  async receive(max: number, signal: AbortSignal): Promise<RawDelivery[]> {
    while (this.ready.length === 0 && !signal.aborted) {
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        signal.addEventListener('abort', () => resolve(), { once: true });
      });
    }
    if (signal.aborted) return [];
    const batch = this.ready.splice(0, max);
    this.delivered.push(...batch);
    this.held += batch.length;
    this.mostHeld = Math.max(this.mostHeld, this.held);
    return batch;
  }

  async publishRaw(
    topic: string,
    headers: Readonly<Record<string, string>>,
    body: Uint8Array,
  ): Promise<void> {
    if (this.publishFailures-- > 0) throw new Error('broker refused the dead letter');
    this.published.push({ topic, headers, body });
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

function start(source: FakeSource, handler: DeliveryHandler, options: Partial<SubscribeOptions> = {}) {
  return startSubscription({
    source,
    options: resolveSubscribeOptions({
      group: 'billing',
      topics: ['orders'],
      retryBackoff: { initialMs: 1, maxMs: 5, multiplier: 2 },
      ...options,
    }),
    binding,
    handler,
    onError: () => {},
    closeTimeoutMs: 200,
  });
}

const message = (partitionkey: string, n = 0) =>
  createEnvelope({ type: 'order.placed', data: { n }, partitionkey });
const until = async (condition: () => boolean) => {
  for (let waited = 0; !condition(); waited += 2) {
    if (waited > 5_000) throw new Error('condition not met in 5 s');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
};
const headersOf = (published: { headers: Readonly<Record<string, string>> }) =>
  Object.fromEntries(
    Object.entries(published.headers).map(([name, value]) => [name, decodeHeaderValue(value)]),
  );

describe('subscription engine', () => {
  it('keeps per-key order and the in-flight limit under random failures, acking each message once', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c'), fc.nat(2)), { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 1, max: 4 }),
        async (plan, maxInFlight) => {
          const source = new FakeSource();
          const calls: Array<{ key: string; n: number; ok: boolean }> = [];
          const subscription = start(
            source,
            async (delivery) => {
              const n = (delivery.envelope.data as { n: number }).n;
              const failuresLeft = plan[n]?.[1] ?? 0;
              const ok = delivery.attempt > failuresLeft;
              calls.push({ key: delivery.envelope.partitionkey, n, ok });
              if (!ok) throw new Error(`planned failure of #${n}`);
            },
            { maxInFlight, maxDeliveries: 10 },
          );
          for (const [n, [key]] of plan.entries()) source.offer(message(key, n));
          await until(() => calls.filter((call) => call.ok).length === plan.length);
          await subscription.close();
          expect(source.delivered.map((delivery) => delivery.state)).toEqual(plan.map(() => 'acked'));
          expect(source.mostHeld).toBeLessThanOrEqual(maxInFlight);
          for (const key of ['a', 'b', 'c']) {
            const order = calls.filter((call) => call.key === key).map((call) => call.n);
            expect(order).toEqual([...order].sort((x, y) => x - y));
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('dead-letters undecodable bytes at once, without blocking their key', async () => {
    const source = new FakeSource();
    const handled: string[] = [];
    const subscription = start(source, async (delivery) => {
      handled.push(delivery.envelope.id);
    });
    const good = encodeBinary(message('k'), binding);
    const poison = source.offerRaw({ ...good.headers, ce_id: 'bad' }, new TextEncoder().encode('{oops'));
    const behind = message('k');
    source.offer(behind);
    await until(() => handled.length === 1 && source.published.length === 1);
    await subscription.close();
    expect(handled).toEqual([behind.id]);
    expect(poison.state).toBe('acked');
    const [letter] = source.published;
    expect(letter?.topic).toBe('billing.dead-letter');
    expect(headersOf(letter ?? { headers: {} })).toMatchObject({
      ce_type: UNDECODABLE_MESSAGE_TYPE,
      [DEAD_LETTER_HEADERS.reason]: expect.stringMatching(/^undecodable: body is not JSON/),
      [DEAD_LETTER_HEADERS.originalTopic]: 'orders',
      [DEAD_LETTER_HEADERS.group]: 'billing',
    });
  });

  it('counts broker deliveries and local retries, then dead-letters the original with the reason', async () => {
    const source = new FakeSource();
    source.publishFailures = 2;
    const attempts: number[] = [];
    const subscription = start(
      source,
      async (delivery) => {
        attempts.push(delivery.attempt);
        throw new Error('card declined');
      },
      { maxDeliveries: 4 },
    );
    const failing = source.offer(message('k'), 2);
    await until(() => failing.state === 'acked');
    await subscription.close();
    expect(attempts).toEqual([2, 3, 4]);
    expect(source.published).toHaveLength(1);
    expect(source.published[0]?.body).toEqual(failing.body);
    expect(headersOf(source.published[0] ?? { headers: {} })).toMatchObject({
      ...failing.headers,
      [DEAD_LETTER_HEADERS.reason]: 'Error: card declined',
      [DEAD_LETTER_HEADERS.attempts]: '4',
    });
  });

  it('dead-letters a message the broker already delivered too often without running the handler', async () => {
    const source = new FakeSource();
    let calls = 0;
    const subscription = start(source, async () => void calls++, { maxDeliveries: 3 });
    const worn = source.offer(message('k'), 4);
    await until(() => worn.state === 'acked');
    await subscription.close();
    expect(calls).toBe(0);
    expect(headersOf(source.published[0] ?? { headers: {} })[DEAD_LETTER_HEADERS.reason]).toMatch(
      /delivered 4 times/,
    );
  });

  it('acks once when the handler acks itself, and retries in place after a nack', async () => {
    const source = new FakeSource();
    const answers: boolean[] = [];
    const subscription = start(source, async (delivery) => {
      if (delivery.attempt === 1) answers.push(await delivery.nack(1, 'later'));
      else answers.push(await delivery.ack(), await delivery.ack(), await delivery.nack());
    });
    const delivered = source.offer(message('k'));
    await until(() => answers.length === 4);
    await subscription.close();
    expect(answers).toEqual([true, true, false, false]);
    expect(delivered.state).toBe('acked');
  });

  it('extends the leases of messages waiting behind their key', async () => {
    const source = new FakeSource();
    let release = () => {};
    const subscription = start(
      source,
      (delivery) =>
        (delivery.envelope.data as { n: number }).n === 0
          ? new Promise((resolve) => {
              release = () => resolve();
            })
          : Promise.resolve(),
      { ackTimeoutMs: 15 },
    );
    const first = source.offer(message('k', 0));
    const waiting = source.offer(message('k', 1));
    await until(() => waiting.extensions >= 3);
    expect(first.extensions).toBe(0);
    release();
    await until(() => waiting.state === 'acked');
    await subscription.close();
  });

  it('on close, finishes running handlers, gives queued messages back and never acks an unfinished one', async () => {
    const source = new FakeSource();
    const running: Array<() => void> = [];
    const subscription = start(source, (delivery) =>
      delivery.envelope.partitionkey === 'stuck'
        ? new Promise(() => {})
        : new Promise<void>((resolve) => running.push(resolve)),
    );
    const finishing = source.offer(message('k'));
    const queued = source.offer(message('k'));
    const stuck = source.offer(message('stuck'));
    await until(() => running.length === 1 && source.delivered.length === 3);
    const closing = subscription.close();
    source.offer(message('late'));
    running[0]?.();
    await closing;
    expect([finishing.state, queued.state, stuck.state]).toEqual(['acked', 'nacked', 'nacked']);
    expect(source.delivered).toHaveLength(3);
    expect(source.closed).toBe(true);
  });
});
