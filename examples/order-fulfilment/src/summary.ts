import { formatCents } from '@eventloom/example-kit';
import type { OrderOutcome } from './scenario.js';

/** The end of the demo: one line per order, then how many were placed, completed and compensated. */
export function printSummary(
  outcome: readonly OrderOutcome[],
  write: (line: string) => void = console.log,
): void {
  write('');
  write('Summary');
  for (const row of outcome) {
    const detail =
      row.status === 'completed'
        ? `shipped, tracking ${row.trackingId}`
        : `${row.reason ?? ''}; undone: ${row.compensated.join(', ') || 'nothing'}`;
    write(
      `  ${row.orderId.padEnd(12)} ${row.customer.padEnd(6)} ${formatCents(row.total).padStart(9)}  ${row.status.padEnd(12)} ${detail}`,
    );
  }
  const count = (status: string) => outcome.filter((row) => row.status === status).length;
  write(
    `  orders placed ${outcome.length}, completed ${count('completed')}, compensated ${count('compensated')}, failed ${count('failed')}`,
  );
}
