import type { DomainEvent } from '@eventloom/core';

export interface OrderLine {
  readonly sku: string;
  readonly qty: number;
  /** Unit price in cents. */
  readonly price: number;
}

/** What a customer asked for: the saga carries it to every service in its step messages. */
export interface OrderRequest {
  readonly orderId: string;
  readonly customer: string;
  readonly lines: readonly OrderLine[];
  /** In cents. */
  readonly total: number;
  /** The payment card's token at the gateway. */
  readonly card: string;
}

export type OrderPlaced = DomainEvent<'order.placed', OrderRequest>;

/** Each service answers a step's message with one of these, keeping its subject (the saga id). */
export type StepMessage = DomainEvent<string, OrderRequest>;

/** Unit prices of what the shop sells, in cents. */
export const CATALOG: Readonly<Record<string, { readonly name: string; readonly price: number }>> = {
  keyboard: { name: 'Mechanical keyboard', price: 89_00 },
  mouse: { name: 'Wireless mouse', price: 29_00 },
  monitor: { name: '27" monitor', price: 319_00 },
  gpu: { name: 'Graphics card', price: 649_00 },
};
