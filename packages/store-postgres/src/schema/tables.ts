import { createHash } from 'node:crypto';
import { qualified } from '../sql.js';

/** The quoted, schema-qualified names of a store's tables, and the keys of its locks and channel. */
export interface Tables {
  readonly schema: string;
  readonly migrations: string;
  readonly streams: string;
  readonly events: string;
  readonly snapshots: string;
  readonly outbox: string;
  readonly inbox: string;
  readonly checkpoints: string;
  readonly documents: string;
  readonly scheduled: string;
  readonly leases: string;
  /** Advisory lock that makes schema migrations of one schema run one at a time. */
  readonly migrationLock: string;
  /** The sequences that hand out event positions and outbox seqs. */
  readonly positions: string;
  readonly outboxSeq: string;
  /** LISTEN/NOTIFY channel told of each commit that wrote outbox or scheduled rows. */
  readonly outboxChannel: string;
}

export function tablesOf(schema: string): Tables {
  const table = (name: string) => qualified(schema, name);
  return {
    schema,
    migrations: table('migrations'),
    streams: table('streams'),
    events: table('events'),
    snapshots: table('snapshots'),
    outbox: table('outbox'),
    inbox: table('inbox'),
    checkpoints: table('checkpoints'),
    documents: table('documents'),
    scheduled: table('scheduled'),
    leases: table('leases'),
    migrationLock: lockKey(`migrate:${schema}`),
    positions: table('events_position_seq'),
    outboxSeq: table('outbox_seq_seq'),
    outboxChannel: `eventloom_outbox_${digest(schema).toString('hex', 0, 8)}`,
  };
}

/** A signed 64-bit advisory lock key, as text for a bigint parameter. */
function lockKey(name: string): string {
  return digest(`eventloom:${name}`).readBigInt64BE(0).toString();
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
