import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createEnvelope } from '../../envelope/create.js';
import { StoreError } from '../../errors.js';
import { SchemaTooNewError } from '../schema-version.js';
import { openSqliteStore } from './index.js';
import { migrate, SQLITE_MIGRATIONS } from './migrations.js';
import { tempFolder } from './temp-folder.js';

const folder = tempFolder('sqlite-migrations');

function withRaw<T>(path: string, use: (db: Database.Database) => T): T {
  const db = new Database(path);
  try {
    return use(db);
  } finally {
    db.close();
  }
}

const tables = (db: Database.Database) =>
  db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
const storedVersion = (db: Database.Database) =>
  db.prepare('SELECT version FROM eventloom_schema_version').pluck().get();

describe('SQLite schema migrations', () => {
  it('a new database is created at the newest schema version with every table', async () => {
    const path = folder.file();
    const store = openSqliteStore({ path });
    expect(store.pragmas().schemaVersion).toBe(SQLITE_MIGRATIONS.length);
    await store.close();
    withRaw(path, (db) => {
      expect(storedVersion(db)).toBe(SQLITE_MIGRATIONS.length);
      expect(tables(db)).toEqual(
        expect.arrayContaining([
          'events',
          'streams',
          'snapshots',
          'outbox',
          'inbox',
          'checkpoints',
          'documents',
          'scheduled',
          'leases',
        ]),
      );
    });
  });

  it('reopening an up-to-date database changes no schema and keeps the data', async () => {
    const path = folder.file();
    const first = openSqliteStore({ path });
    await first.transaction((uow) =>
      uow.append('s', [createEnvelope({ type: 'kept', data: {} })], 'no-stream'),
    );
    await first.close();
    const cookie = withRaw(path, (db) => db.pragma('schema_version', { simple: true }));
    const second = openSqliteStore({ path });
    expect((await second.readStream('s')).map((e) => e.type)).toEqual(['kept']);
    await second.close();
    expect(withRaw(path, (db) => db.pragma('schema_version', { simple: true }))).toBe(cookie);
  });

  it('refuses a database migrated by a newer Eventloom and leaves it untouched', async () => {
    const path = folder.file();
    await openSqliteStore({ path }).close();
    withRaw(path, (db) => db.prepare('UPDATE eventloom_schema_version SET version = 99').run());
    let error: unknown;
    try {
      openSqliteStore({ path });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SchemaTooNewError);
    expect(error).toMatchObject({ databaseVersion: 99, supportedVersion: SQLITE_MIGRATIONS.length });
    expect((error as Error).message).toMatch(/schema version 99/);
    expect(withRaw(path, storedVersion)).toBe(99);
  });

  it('applies each further migration in its own transaction; a failing one leaves nothing behind', () => {
    withRaw(folder.file(), (db) => {
      migrate(db);
      const next = [
        ...SQLITE_MIGRATIONS,
        { version: 2, description: 'add extra', step: 'CREATE TABLE extra (x INTEGER)' },
      ];
      expect(migrate(db, next)).toBe(2);
      const broken = [
        ...next,
        { version: 3, description: 'broken', step: 'CREATE TABLE half (x); CREATE TABLE (' },
      ];
      expect(() => migrate(db, broken)).toThrow();
      expect(storedVersion(db)).toBe(2);
      expect(tables(db)).toContain('extra');
      expect(tables(db)).not.toContain('half');
    });
  });

  it('refuses misnumbered migrations', () => {
    withRaw(':memory:', (db) => {
      const misnumbered = [{ ...SQLITE_MIGRATIONS[0]!, version: 2 }];
      expect(() => migrate(db, misnumbered)).toThrow(StoreError);
    });
  });
});
