import type { SystemDefinition } from '@eventloom/example-kit';
import type { SagaTiming } from '../domain/order-saga.js';
import { inventoryService } from './inventory.js';
import { ordersService } from './orders.js';
import { paymentService } from './payment.js';
import { shippingService } from './shipping.js';

export interface Timing extends SagaTiming {
  /** How long the slow bank takes to answer a charge. */
  readonly slowBankAnswerMs: number;
}

/** Long enough for a broker round trip on a loaded machine; short enough for a demo. */
export const DEFAULT_TIMING: Timing = {
  paymentTimeoutMs: 4_000,
  stepTimeoutMs: 30_000,
  slowBankAnswerMs: 6_000,
};

/** The four services of the shop; `orders` drives the demo. */
export const orderFulfilment = (timing: Timing = DEFAULT_TIMING): SystemDefinition => ({
  name: 'order-fulfilment',
  services: [
    ordersService(timing),
    inventoryService,
    paymentService(timing.slowBankAnswerMs),
    shippingService,
  ],
});
