import { describe, expect, it } from 'vitest';
import { createEnvelope } from '../../envelope/create.js';
import {
  InvalidInputError,
  TransportClosedError,
  TransportError,
  TransportTimeoutError,
} from '../../errors.js';
import { encodeBinary } from '../binding.js';
import type { GroupMember } from './broker.js';
import { createMemoryBroker, MEMORY_HEADER_PREFIX } from './broker.js';
import { createMemoryTransport } from './memory-transport.js';

const raw = (n: number, partitionkey = `key-${n}`) =>
  encodeBinary(createEnvelope({ type: 't', data: { n }, partitionkey }), {
    headerPrefix: MEMORY_HEADER_PREFIX,
  });
const numbers = (leased: ReturnType<ReturnType<typeof createMemoryBroker>['lease']>) =>
  leased.map(({ entry }) => JSON.parse(new TextDecoder().decode(entry.message.body)).n as number);

describe('memory broker', () => {
  it('keeps at most maxMessagesPerTopic, dropping the oldest', () => {
    const broker = createMemoryBroker({ maxMessagesPerTopic: 3 });
    broker.append(
      't',
      [1, 2, 3, 4, 5].map((n) => raw(n)),
    );
    const member = broker.join('g', ['t'], 'start');
    expect(numbers(broker.lease(member, 10, 1_000))).toEqual([3, 4, 5]);
  });

  it("starts a new group at the end of the log with from: 'new', and remembers its position", () => {
    const broker = createMemoryBroker();
    broker.append('t', [raw(1)]);
    const first = broker.join('g', ['t'], 'new');
    broker.append('t', [raw(2)]);
    const later = broker.join('g', ['t'], 'start');
    expect(numbers(broker.lease(later, 10, 1_000))).toEqual([2]);
    expect(broker.lease(first, 10, 1_000)).toEqual([]);
  });

  it('holds a key back while an earlier message of it is leased or waits out a nack delay', () => {
    const broker = createMemoryBroker();
    broker.append('t', [raw(1, 'k'), raw(2, 'k'), raw(3, 'other')]);
    const [a, b] = [broker.join('g', ['t'], 'start'), broker.join('g', ['t'], 'start')] as [
      GroupMember,
      GroupMember,
    ];
    const [first] = broker.lease(a, 1, 1_000);
    expect(numbers(broker.lease(b, 10, 1_000))).toEqual([3]);
    expect(first?.cursor.nack(first.entry.message.offset, first.token, Date.now() + 60_000)).toBe(true);
    expect(broker.lease(b, 10, 1_000)).toEqual([]);
  });

  it('gives a leaving member’s leases, and all leases on a restart, back to the group', () => {
    const broker = createMemoryBroker();
    broker.append('t', [raw(1), raw(2)]);
    const [a, b] = [broker.join('g', ['t'], 'start'), broker.join('g', ['t'], 'start')] as [
      GroupMember,
      GroupMember,
    ];
    const [first] = broker.lease(a, 1, 60_000);
    broker.leave(a);
    expect(first?.cursor.ack(first.entry.message.offset, first.token)).toBe(false);
    const again = broker.lease(b, 10, 60_000);
    expect(again.map(({ entry }) => entry.deliveries)).toEqual([2, 1]);
    broker.goDown();
    expect(() => broker.lease(b, 10, 60_000)).toThrow(TransportError);
    broker.comeUp();
    expect(again.map(({ cursor, entry, token }) => cursor.ack(entry.message.offset, token))).toEqual([
      false,
      false,
    ]);
    expect(numbers(broker.lease(b, 10, 60_000))).toEqual([1, 2]);
  });

  it('validates its options, naming the field', () => {
    expect(() => createMemoryBroker({ maxMessagesPerTopic: 0 })).toThrow(InvalidInputError);
    expect(() => createMemoryBroker({ maxMessageBytes: 1.5 })).toThrow(/maxMessageBytes/);
    expect(() => createMemoryTransport({ publishTimeoutMs: -1 })).toThrow(/publishTimeoutMs/);
  });
});

describe('memory transport', () => {
  it('makes publish wait for a broker that is down, then time out with a typed error', async () => {
    const broker = createMemoryBroker();
    const transport = createMemoryTransport({ broker, publishTimeoutMs: 50 });
    broker.goDown();
    const message = { topic: 't', envelope: createEnvelope({ type: 't', data: 1 }) };
    await expect(transport.publish([message])).rejects.toBeInstanceOf(TransportTimeoutError);
    const publishing = transport.publish([message]);
    broker.comeUp();
    await publishing;
    const member = broker.join('g', ['t'], 'start');
    expect(broker.lease(member, 10, 1_000)).toHaveLength(1);
  });

  it('refuses to work once closed', async () => {
    const transport = createMemoryTransport();
    await transport.close();
    await expect(transport.publish([])).rejects.toBeInstanceOf(TransportClosedError);
    await expect(transport.subscribe({ group: 'g', topics: ['t'] }, async () => {})).rejects.toBeInstanceOf(
      TransportClosedError,
    );
  });
});
