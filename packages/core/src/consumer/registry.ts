import { InvalidInputError } from '../errors.js';
import { requireText } from '../store/validate.js';
import type { MessageHandler } from './handler.js';

// biome-ignore lint/suspicious/noExplicitAny: a registry holds handlers of any message union
export type AnyMessageHandler = MessageHandler<any>;

/** Handlers by message type; each consumer name (inbox key) belongs to one handler. */
export class HandlerRegistry {
  private readonly byType = new Map<string, AnyMessageHandler[]>();

  constructor(handlers: readonly AnyMessageHandler[]) {
    if (!Array.isArray(handlers) || handlers.length === 0) {
      throw new InvalidInputError('handlers', 'must be a non-empty array');
    }
    const consumers = new Set<string>();
    handlers.forEach((entry, index) => {
      this.validate(entry, `handlers[${index}]`, consumers);
      for (const type of new Set<string>(entry.types)) this.add(type, entry);
    });
  }

  handlersFor(type: string): readonly MessageHandler[] {
    return this.byType.get(type) ?? [];
  }

  get types(): readonly string[] {
    return [...this.byType.keys()];
  }

  private add(type: string, entry: AnyMessageHandler): void {
    const list = this.byType.get(type);
    if (list === undefined) this.byType.set(type, [entry]);
    else list.push(entry);
  }

  private validate(entry: AnyMessageHandler, field: string, consumers: Set<string>): void {
    requireText(entry?.consumer, `${field}.consumer`);
    if (consumers.has(entry.consumer)) {
      throw new InvalidInputError(`${field}.consumer`, `'${entry.consumer}' is used by two handlers`);
    }
    consumers.add(entry.consumer);
    if (!Array.isArray(entry.types) || entry.types.length === 0) {
      throw new InvalidInputError(`${field}.types`, 'must be a non-empty array of message types');
    }
    for (const [index, type] of entry.types.entries()) requireText(type, `${field}.types[${index}]`);
    if (typeof entry.handle !== 'function')
      throw new InvalidInputError(`${field}.handle`, 'must be a function');
  }
}
