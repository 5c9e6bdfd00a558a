import { randomFillSync } from 'node:crypto';

let lastMillis = 0;
let sequence = 0;

/** Random bytes drawn from the OS in chunks, not per id: one refill per ~1,000 ids. */
const POOL_BYTES = 16 * 512;
const pool = Buffer.alloc(POOL_BYTES);
let poolOffset = POOL_BYTES;

function takeRandom(count: number): number {
  if (poolOffset + count > POOL_BYTES) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const at = poolOffset;
  poolOffset += count;
  return at;
}

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/**
 * UUIDv7 (RFC 9562): 48-bit Unix milliseconds, then a 12-bit counter seeded randomly each
 * millisecond so ids from one process sort in creation order.
 */
export function uuidv7(now: number = Date.now()): string {
  if (now > lastMillis) {
    lastMillis = now;
    sequence = pool.readUInt16BE(takeRandom(2)) & 0x7ff;
  } else {
    sequence += 1;
    if (sequence > 0xfff) {
      lastMillis += 1;
      sequence = 0;
    }
  }
  const random = takeRandom(8);
  const millis = lastMillis;
  const high = Math.floor(millis / 0x1000000);
  const hex = (byte: number) => HEX[byte & 0xff]!;
  return (
    hex(high >>> 16) +
    hex(high >>> 8) +
    hex(high) +
    hex(millis >>> 16) +
    '-' +
    hex(millis >>> 8) +
    hex(millis) +
    '-' +
    hex(0x70 | ((sequence >> 8) & 0x0f)) +
    hex(sequence) +
    '-' +
    hex(0x80 | (pool[random]! & 0x3f)) +
    hex(pool[random + 1]!) +
    '-' +
    hex(pool[random + 2]!) +
    hex(pool[random + 3]!) +
    hex(pool[random + 4]!) +
    hex(pool[random + 5]!) +
    hex(pool[random + 6]!) +
    hex(pool[random + 7]!)
  );
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}
