import type { MessageHandler } from '../consumer/handler.js';
import type { AnyMessageHandler } from '../consumer/registry.js';
import { type AnyProjection, validateProjection } from './projection.js';

/**
 * A projection following a transport: a handler for the consumer runtime, so each event's
 * writes commit with its inbox claim (consumer `projection:<name>`) and duplicates are dropped.
 * Order is the transport's: per partition key.
 */
export function projectionHandler(target: AnyProjection): AnyMessageHandler {
  validateProjection(target);
  const entry: MessageHandler = {
    consumer: `projection:${target.name}`,
    types: target.types,
    handle: (message, context) => target.apply(message, context.uow),
  };
  return entry;
}
