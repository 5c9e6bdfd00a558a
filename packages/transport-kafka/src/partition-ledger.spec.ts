import type { KafkaMessage } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { decodeProgress } from './commit-metadata.js';
import { PartitionLedger } from './partition-ledger.js';

const record = (offset: number, key: string | null = `key-${offset}`): KafkaMessage =>
  ({
    offset: String(offset),
    key: key === null ? null : Buffer.from(key),
    value: Buffer.from('{}'),
    headers: {},
    timestamp: '0',
    attributes: 0,
  }) as KafkaMessage;

const admitAll = (ledger: PartitionLedger, records: KafkaMessage[]) => records.map((r) => ledger.admit(r));

describe('partition ledger', () => {
  it('commits the lowest unacked offset and lists the rest, so acks above a gap are not redelivered', () => {
    const ledger = new PartitionLedger('t', 0, 10, undefined, 100);
    admitAll(
      ledger,
      [10, 11, 12, 13].map((offset) => record(offset)),
    );
    const [first, second, third] = ledger.deliverable(10, 0).entries;
    for (const entry of [first, second, third]) if (entry) ledger.handOut(entry, 1_000);
    if (second) ledger.ack(second);
    const snapshot = ledger.snapshot();
    expect(snapshot?.offset).toBe('10');
    const progress = decodeProgress(10, snapshot?.metadata);
    expect(progress?.end).toBe(14);
    expect([...(progress?.unacked ?? [])]).toEqual([
      [10, 1],
      [12, 1],
      [13, 0],
    ]);
  });

  it('hands out one message per key at a time, oldest first; keyless ones never wait', () => {
    const ledger = new PartitionLedger('t', 0, undefined, undefined, 100);
    admitAll(ledger, [record(0, 'a'), record(1, 'a'), record(2, 'b'), record(3, null), record(4, null)]);
    const found = ledger.deliverable(10, 0).entries.map((entry) => entry.offset);
    expect(found).toEqual([0, 2, 3, 4]);
  });

  it('takes over from the previous owner: skips what it acked, counts what it delivered', () => {
    const prior = decodeProgress(5, 'el1;4;0.2,2');
    const ledger = new PartitionLedger('t', 0, 5, prior, 100);
    expect(
      admitAll(
        ledger,
        [5, 6, 7, 8, 9].map((offset) => record(offset)),
      ),
    ).toEqual(['taken', 'skipped', 'taken', 'skipped', 'taken']);
    const entries = ledger.deliverable(10, 0).entries;
    expect(entries.map((entry) => [entry.offset, entry.deliveries])).toEqual([
      [5, 2],
      [7, 0],
      [9, 0],
    ]);
  });

  it('takes a batch whole, is full at its limit and asks for fetching to resume at three quarters', () => {
    const ledger = new PartitionLedger('t', 0, 0, undefined, 4);
    expect(
      admitAll(
        ledger,
        [0, 1, 2, 3, 4].map((offset) => record(offset)),
      ),
    ).toEqual(['taken', 'taken', 'taken', 'taken', 'taken']);
    expect(ledger.isFull).toBe(true);
    let resumed = 0;
    ledger.pauseFetching(() => resumed++);
    for (const entry of ledger.deliverable(2, 0).entries) {
      ledger.handOut(entry, 1);
      ledger.ack(entry);
    }
    expect(resumed).toBe(1);
    expect(ledger.isFull).toBe(false);
    expect(ledger.admit(record(4))).toBe('skipped');
  });

  it('counts an ack as recorded only once a commit of a later version confirmed it', () => {
    const ledger = new PartitionLedger('t', 0, 0, undefined, 10);
    admitAll(ledger, [record(0), record(1)]);
    const [first] = ledger.deliverable(1, 0).entries;
    if (!first) throw new Error('nothing deliverable');
    ledger.handOut(first, 1);
    const before = ledger.snapshot();
    ledger.ack(first);
    if (before) ledger.confirm(before);
    expect(ledger.isRecorded(first)).toBe(false);
    const after = ledger.snapshot();
    if (after) ledger.confirm(after);
    expect(ledger.isRecorded(first)).toBe(true);
    expect(ledger.isDirty).toBe(false);
  });
});
