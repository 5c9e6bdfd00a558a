import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GroupCursor } from './group-cursor.js';
import { TopicLog } from './topic-log.js';

/** The plain model of a group cursor: scan every pending message on each lease, oldest first. */
class ScanningCursor {
  private readonly pending = new Map<
    number,
    {
      key: string;
      deliveries: number;
      lease?: { token: number; member: string; deadline: number } | undefined;
      at: number;
    }
  >();
  private nextOffset = 0;
  private tokens = 1;

  constructor(
    private readonly keys: string[],
    private readonly maxPending: number,
  ) {}

  lease(member: string, max: number, now: number, ackTimeoutMs: number) {
    const taken: { offset: number; deliveries: number; token: number }[] = [];
    const blocked = new Set<string>();
    const offer = (offset: number) => {
      const entry = this.pending.get(offset)!;
      if (entry.lease !== undefined && entry.lease.deadline <= now) entry.lease = undefined;
      if (entry.lease === undefined && entry.at <= now && !blocked.has(entry.key)) {
        entry.lease = { token: this.tokens++, member, deadline: now + ackTimeoutMs };
        entry.deliveries += 1;
        taken.push({ offset, deliveries: entry.deliveries, token: entry.lease.token });
      }
      blocked.add(entry.key);
    };
    for (const offset of this.pending.keys()) {
      if (taken.length >= max) return taken;
      offer(offset);
    }
    while (taken.length < max && this.pending.size < this.maxPending && this.nextOffset < this.keys.length) {
      const offset = this.nextOffset++;
      this.pending.set(offset, { key: this.keys[offset]!, deliveries: 0, at: 0 });
      offer(offset);
    }
    return taken;
  }

  settle(kind: 'ack' | 'nack' | 'extend', offset: number, token: number, at: number): boolean {
    const entry = this.pending.get(offset);
    if (entry?.lease?.token !== token) return false;
    if (kind === 'ack') this.pending.delete(offset);
    else if (kind === 'extend') entry.lease.deadline = at;
    else {
      entry.lease = undefined;
      entry.at = at;
    }
    return true;
  }

  release(now: number, member?: string): void {
    for (const entry of this.pending.values()) {
      if (entry.lease !== undefined && (member === undefined || entry.lease.member === member)) {
        entry.lease = undefined;
        entry.at = now;
      }
    }
  }
}

type Step =
  | { kind: 'lease'; member: string; max: number; ackTimeoutMs: number }
  | { kind: 'ack' | 'nack' | 'extend'; pick: number; delayMs: number }
  | { kind: 'release'; member: string | undefined }
  | { kind: 'tick'; ms: number };

const member = fc.constantFrom('m1', 'm2', 'm3');
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('lease' as const),
    member,
    max: fc.integer({ min: 1, max: 5 }),
    ackTimeoutMs: fc.integer({ min: 1, max: 50 }),
  }),
  fc.record({
    kind: fc.constantFrom('ack' as const, 'nack' as const, 'extend' as const),
    pick: fc.nat(),
    delayMs: fc.integer({ min: 0, max: 30 }),
  }),
  fc.record({ kind: fc.constant('release' as const), member: fc.option(member, { nil: undefined }) }),
  fc.record({ kind: fc.constant('tick' as const), ms: fc.integer({ min: 1, max: 40 }) }),
);

describe('group cursor', () => {
  it('hands out, settles and expires exactly as a scan of every pending message would', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('a', 'b', 'c', 'd'), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 12 }),
        fc.array(step, { maxLength: 120 }),
        (keys, maxPending, steps) => {
          const log = new TopicLog(1_000);
          for (const key of keys) log.append({ headers: {}, body: new Uint8Array(), key });
          const cursor = new GroupCursor(log, 'start', maxPending);
          const model = new ScanningCursor(keys, maxPending);
          const leases: { offset: number; token: number; modelToken: number }[] = [];
          let now = 1_000;
          for (const s of steps) {
            if (s.kind === 'tick') now += s.ms;
            else if (s.kind === 'release') {
              cursor.releaseLeases(now, s.member);
              model.release(now, s.member);
            } else if (s.kind === 'lease') {
              const got = cursor.lease(s.member, s.max, now, s.ackTimeoutMs);
              const expected = model.lease(s.member, s.max, now, s.ackTimeoutMs);
              expect(got.map((e) => [e.message.offset, e.deliveries])).toEqual(
                expected.map((e) => [e.offset, e.deliveries]),
              );
              for (const [i, e] of got.entries()) {
                leases.push({
                  offset: e.message.offset,
                  token: e.lease!.token,
                  modelToken: expected[i]!.token,
                });
              }
            } else if (leases.length > 0) {
              const { offset, token, modelToken } = leases[s.pick % leases.length]!;
              const at = now + s.delayMs;
              const took =
                s.kind === 'ack'
                  ? cursor.ack(offset, token)
                  : s.kind === 'nack'
                    ? cursor.nack(offset, token, at)
                    : cursor.extend(offset, token, at);
              expect(took).toBe(model.settle(s.kind, offset, modelToken, at));
            }
          }
        },
      ),
      { numRuns: 1_000 },
    );
  });
});
