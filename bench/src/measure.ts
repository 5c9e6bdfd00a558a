import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Measurement {
  readonly name: string;
  readonly operations: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly p50Ms?: number;
  readonly p99Ms?: number;
}

/** Runs `work` once and reports operations per second. */
export async function measure(
  name: string,
  operations: number,
  work: () => Promise<void> | void,
): Promise<Measurement> {
  (globalThis as { gc?: () => void }).gc?.();
  const start = process.hrtime.bigint();
  await work();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { name, operations, seconds, perSecond: operations / seconds };
}

export function percentile(sortedMs: readonly number[], p: number): number {
  if (sortedMs.length === 0) return 0;
  return sortedMs[Math.min(sortedMs.length - 1, Math.floor((p / 100) * sortedMs.length))]!;
}

/** Runs at most `concurrency` of `count` tasks at a time. */
export async function runConcurrently(
  count: number,
  concurrency: number,
  task: (index: number) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

export interface ComparisonRow {
  readonly case: string;
  readonly eventloom: Measurement;
  readonly raw: Measurement;
  readonly ratio: number;
}

export function compare(label: string, eventloom: Measurement, raw: Measurement): ComparisonRow {
  return { case: label, eventloom, raw, ratio: eventloom.perSecond / raw.perSecond };
}

export function printRows(title: string, rows: readonly ComparisonRow[]): void {
  console.log(`\n${title}`);
  console.log('case'.padEnd(44), 'eventloom/s'.padStart(12), 'raw/s'.padStart(12), 'ratio'.padStart(7));
  for (const row of rows) {
    console.log(
      row.case.padEnd(44),
      Math.round(row.eventloom.perSecond).toString().padStart(12),
      Math.round(row.raw.perSecond).toString().padStart(12),
      row.ratio.toFixed(2).padStart(7),
    );
  }
}

export function writeResults(name: string, data: unknown): string {
  const folder = join(process.cwd(), 'bench', 'results');
  mkdirSync(folder, { recursive: true });
  const file = join(folder, `${name}.json`);
  writeFileSync(
    file,
    `${JSON.stringify({ at: new Date().toISOString(), node: process.version, data }, null, 2)}\n`,
  );
  return file;
}
