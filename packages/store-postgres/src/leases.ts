import type { Tables } from './schema/tables.js';
import { type Queryable, query } from './sql.js';

/**
 * Takes the lease when it is free, expired, or already ours. Expiry is judged by the store's
 * clock, so the processes sharing a lease need clocks that agree to well within its ttl.
 */
export async function acquireLease(
  db: Queryable,
  tables: Tables,
  lease: { readonly name: string; readonly owner: string; readonly ttlMs: number },
  now: number,
): Promise<boolean> {
  const sql = `INSERT INTO ${tables.leases} AS l (name, owner, expires_at) VALUES ($1, $2, $3::bigint + $4::bigint)
    ON CONFLICT (name) DO UPDATE SET owner = EXCLUDED.owner, expires_at = EXCLUDED.expires_at
    WHERE l.owner = EXCLUDED.owner OR l.expires_at <= $3::bigint
    RETURNING 1`;
  return (await query(db, sql, [lease.name, lease.owner, now, lease.ttlMs])).length > 0;
}

export async function releaseLease(
  db: Queryable,
  tables: Tables,
  name: string,
  owner: string,
): Promise<void> {
  await query(db, `DELETE FROM ${tables.leases} WHERE name = $1 AND owner = $2`, [name, owner]);
}
