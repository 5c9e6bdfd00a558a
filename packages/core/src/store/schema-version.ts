import { StoreError } from '../errors.js';

/** One numbered step of a SQL store's schema; versions run 1, 2, 3… with no gaps. */
export interface Migration<Step> {
  readonly version: number;
  readonly description: string;
  readonly step: Step;
}

/** The database was migrated by a newer Eventloom than this one: opening it could damage it. */
export class SchemaTooNewError extends StoreError {
  readonly databaseVersion: number;
  readonly supportedVersion: number;
  constructor(store: string, databaseVersion: number, supportedVersion: number) {
    super(
      `the ${store} database is at schema version ${databaseVersion}, newer than the ${supportedVersion} ` +
        'this version of Eventloom knows; upgrade Eventloom or use another database',
    );
    this.databaseVersion = databaseVersion;
    this.supportedVersion = supportedVersion;
  }
}

/** The migrations a database at `current` still needs, in order. */
export function pendingMigrations<Step>(
  store: string,
  current: number,
  migrations: readonly Migration<Step>[],
): Migration<Step>[] {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new StoreError(
        `${store} migrations are misnumbered: #${index + 1} has version ${migration.version}`,
      );
    }
  });
  if (current > migrations.length) throw new SchemaTooNewError(store, current, migrations.length);
  return migrations.slice(current);
}
