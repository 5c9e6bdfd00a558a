import { formatCents } from '@eventloom/example-kit';
import type { PurchaseOutcome } from './scenario.js';

/** The end of the demo: one line per payment, then how many enrolments were invoiced and refunded. */
export function printSummary(
  outcome: readonly PurchaseOutcome[],
  write: (line: string) => void = console.log,
): void {
  write('');
  write('Summary');
  for (const row of outcome) {
    const detail =
      row.ending === 'invoiced' ? `enrolled, invoice ${row.invoiceNumber}` : `refunded (${row.reason})`;
    write(
      `  ${row.paymentId.padEnd(16)} ${row.courseId.padEnd(9)} ${formatCents(row.amount).padStart(8)}  ${detail}`,
    );
  }
  const count = (ending: string) => outcome.filter((row) => row.ending === ending).length;
  write(
    `  payments captured ${outcome.length}, enrolments invoiced ${count('invoiced')}, refunded ${count('refunded')}`,
  );
}
