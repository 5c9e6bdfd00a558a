import { runProgram } from '@eventloom/example-kit';
import { awaitOutcome, placeOrders, surprises } from './scenario.js';
import { DEFAULT_TIMING, orderFulfilment, type Timing } from './services/index.js';
import { printSummary } from './summary.js';

/** Timings may be stretched for a slow broker: ORDER_PAYMENT_TIMEOUT_MS, ORDER_SLOW_BANK_ANSWER_MS. */
function timingFromEnv(env = process.env): Timing {
  const number = (name: string, fallback: number) => (env[name] ? Number(env[name]) : fallback);
  return {
    ...DEFAULT_TIMING,
    paymentTimeoutMs: number('ORDER_PAYMENT_TIMEOUT_MS', DEFAULT_TIMING.paymentTimeoutMs),
    slowBankAnswerMs: number('ORDER_SLOW_BANK_ANSWER_MS', DEFAULT_TIMING.slowBankAnswerMs),
  };
}

await runProgram(orderFulfilment(timingFromEnv()), {
  service: 'orders',
  run: async (app, signal) => {
    const orders = await placeOrders(app);
    console.log(`placed ${orders.length} orders: ${orders.map((placed) => placed.orderId).join(', ')}\n`);
    const outcome = await awaitOutcome(app, orders, signal);
    if (outcome === undefined) return false;
    printSummary(outcome);
    const unexpected = surprises(orders, outcome);
    for (const line of unexpected) console.error(`unexpected: ${line}`);
    return unexpected.length === 0;
  },
});
