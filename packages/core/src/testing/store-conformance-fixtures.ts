import { afterEach } from 'vitest';
import { createEnvelope, type EnvelopeInit } from '../envelope/create.js';
import type { Envelope } from '../envelope/envelope.js';
import type { EventStore, StoredEvent } from '../store/contract.js';
import type { StoreLimits } from '../store/limits.js';
import type { EventSchema } from '../store/schema.js';

export interface StoreFactoryOptions {
  readonly schema?: EventSchema;
  readonly limits?: Partial<StoreLimits>;
  readonly clock?: () => Date;
}

/** Opens a new, empty store for each call. */
export type StoreFactory = (options: StoreFactoryOptions) => Promise<EventStore>;

export type OpenStore = (options?: StoreFactoryOptions) => Promise<EventStore>;

/** Opens stores for the current test and closes them when it ends. */
export function storesClosedAfterEach(factory: StoreFactory): OpenStore {
  const opened: EventStore[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
  });
  return async (options = {}) => {
    const store = await factory(options);
    opened.push(store);
    return store;
  };
}

let counter = 0;

/** A valid envelope; `type` and `data` vary, the rest can be overridden. */
export function anEvent(
  type = 'thing.happened',
  data: unknown = { n: ++counter },
  init: Partial<EnvelopeInit> = {},
): Envelope {
  return createEnvelope({ type, data, ...init });
}

export function envelopeOf(event: StoredEvent): Envelope {
  const { streamId: _streamId, version: _version, position: _position, ...envelope } = event;
  return envelope;
}

export function ids(items: readonly { readonly id: string }[]): string[] {
  return items.map((item) => item.id);
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A promise opened from outside: `await gate.opened` until `gate.open()`. */
export function gate(): { opened: Promise<void>; open: () => void } {
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

/** A clock the test moves by hand. */
export class ManualClock {
  private millis: number;
  constructor(start = '2030-01-01T00:00:00.000Z') {
    this.millis = Date.parse(start);
  }
  readonly now = (): Date => new Date(this.millis);
  advance(ms: number): Date {
    this.millis += ms;
    return this.now();
  }
  at(offsetMs: number): Date {
    return new Date(this.millis + offsetMs);
  }
}
