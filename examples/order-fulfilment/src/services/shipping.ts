import { handler, replyTo } from '@eventloom/core';
import type { Service } from '@eventloom/example-kit';

const SHIPMENTS = 'shipping.shipments';

/** Ships each confirmed order once; its tracking id derives from the confirmation, so a redelivery ships nothing new. */
const shippingHandler = handler<{ type: 'order.confirmed'; data: { orderId: string } }>({
  consumer: 'shipping-service',
  types: ['order.confirmed'],
  handle: async (message, context) => {
    const shipments = context.uow.documents<{ trackingId: string }>(SHIPMENTS);
    const { orderId } = message.data;
    if ((await shipments.get(orderId)) !== undefined) return;
    const trackingId = `TRK-${message.id.slice(-6).toUpperCase()}`;
    await shipments.put(orderId, { trackingId });
    await context.send(replyTo(message, { type: 'shipment.dispatched', data: { orderId, trackingId } }));
  },
});

export const shippingService: Service = { name: 'shipping', handlers: [shippingHandler] };
