import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/** For tests: a fresh folder for database files, removed after the test file. */
export function tempFolder(prefix: string): { file(name?: string): string } {
  const folder = mkdtempSync(join(tmpdir(), `eventloom-${prefix}-`));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  let files = 0;
  return { file: (name = `db-${++files}`) => join(folder, `${name}.db`) };
}
