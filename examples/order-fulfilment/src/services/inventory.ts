import {
  type DocumentCollection,
  type Eventloom,
  type HandlerContext,
  handler,
  replyTo,
} from '@eventloom/core';
import type { Service } from '@eventloom/example-kit';
import type { OrderLine, OrderRequest } from '../domain/order-request.js';

export const STOCK = 'inventory.stock';
const RESERVATIONS = 'inventory.reservations';

interface Stock {
  readonly available: number;
}

/** `released` with no lines is a tombstone: released before it was reserved, so never to be reserved. */
interface Reservation {
  readonly status: 'reserved' | 'released';
  readonly lines: readonly OrderLine[];
}

/** Stock levels the shop starts from, per SKU. */
export const OPENING_STOCK: Readonly<Record<string, number>> = { keyboard: 5, mouse: 10, monitor: 3, gpu: 0 };

const inventoryHandler = handler<{ type: 'inventory.reserve' | 'inventory.release'; data: OrderRequest }>({
  consumer: 'inventory-service',
  types: ['inventory.reserve', 'inventory.release'],
  handle: (message, context) =>
    message.type === 'inventory.reserve' ? reserve(message.data, context) : release(message.data, context),
});

async function reserve(request: OrderRequest, context: HandlerContext): Promise<void> {
  const reservations = context.uow.documents<Reservation>(RESERVATIONS);
  const existing = (await reservations.get(request.orderId))?.value;
  if (existing !== undefined) {
    const reserved = existing.status === 'reserved';
    return answer(
      context,
      reserved ? 'inventory.reserved' : 'inventory.out-of-stock',
      request,
      reserved ? undefined : 'released before it was reserved',
    );
  }
  const stock = context.uow.documents<Stock>(STOCK);
  for (const line of request.lines) {
    const available = (await stock.get(line.sku))?.value.available ?? 0;
    if (available < line.qty) {
      return answer(
        context,
        'inventory.out-of-stock',
        request,
        `${available} ${line.sku} left, ${line.qty} wanted`,
      );
    }
  }
  for (const line of request.lines) await adjust(stock, line.sku, -line.qty);
  await reservations.put(request.orderId, { status: 'reserved', lines: request.lines });
  await answer(context, 'inventory.reserved', request);
}

async function release(request: OrderRequest, context: HandlerContext): Promise<void> {
  const reservations = context.uow.documents<Reservation>(RESERVATIONS);
  const existing = (await reservations.get(request.orderId))?.value;
  if (existing?.status === 'reserved') {
    const stock = context.uow.documents<Stock>(STOCK);
    for (const line of existing.lines) await adjust(stock, line.sku, line.qty);
  }
  if (existing?.status !== 'released') {
    await reservations.put(request.orderId, { status: 'released', lines: existing?.lines ?? [] });
  }
  await answer(context, 'inventory.released', request);
}

/** Changes a stock level, checking its version so that a concurrent change makes the message run again. */
async function adjust(stock: DocumentCollection<Stock>, sku: string, by: number): Promise<void> {
  const current = await stock.get(sku);
  await stock.put(sku, { available: (current?.value.available ?? 0) + by }, current?.version ?? 0);
}

async function answer(
  context: HandlerContext,
  type: string,
  request: OrderRequest,
  reason?: string,
): Promise<void> {
  const data = reason === undefined ? { orderId: request.orderId } : { orderId: request.orderId, reason };
  await context.send(replyTo(context.message, { type, data }));
}

/** Stock levels now, by SKU. */
export async function stockLevels(app: Eventloom): Promise<Record<string, number>> {
  const documents = await app.store.transaction((uow) => uow.documents<Stock>(STOCK).list());
  return Object.fromEntries(documents.map((document) => [document.id, document.value.available]));
}

export const inventoryService: Service = {
  name: 'inventory',
  handlers: [inventoryHandler],
  // The opening stock is the shop's reference data: each start sets it again.
  prepare: (app) =>
    app.store.transaction(async (uow) => {
      for (const [sku, available] of Object.entries(OPENING_STOCK))
        await uow.documents<Stock>(STOCK).put(sku, { available });
    }),
};
