import { runProgram } from '@eventloom/example-kit';
import { awaitEndings, capturePayments, surprises } from './scenario.js';
import { courseEnrolment } from './services/index.js';
import { printSummary } from './summary.js';

await runProgram(courseEnrolment, {
  service: 'billing',
  run: async (app, signal) => {
    const purchases = await capturePayments(app);
    console.log(
      `captured ${purchases.length} payments: ${purchases.map((purchase) => purchase.paymentId).join(', ')}\n`,
    );
    const outcome = await awaitEndings(app, purchases, signal);
    if (outcome === undefined) return false;
    printSummary(outcome);
    const unexpected = surprises(outcome);
    for (const line of unexpected) console.error(`unexpected: ${line}`);
    return unexpected.length === 0;
  },
});
