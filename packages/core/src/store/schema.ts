import type { JsonValue } from '../envelope/json.js';
import { InvalidInputError, UnknownEventTypeError } from '../errors.js';
import type { StoredEvent } from './contract.js';

/** Turns data written at `fromVersion` of `type` into the shape of `fromVersion + 1`. */
export interface Upcaster {
  readonly type: string;
  readonly fromVersion: number;
  /** Renames the event as it is upcast; the type stays when absent. */
  readonly toType?: string;
  readonly upcast: (data: JsonValue) => JsonValue;
}

export interface EventSchemaOptions {
  /** When given, appending or reading any other type is an UnknownEventTypeError. */
  readonly knownTypes?: Iterable<string>;
  readonly upcasters?: readonly Upcaster[];
}

/** The event types a store accepts and how old shapes become current ones on read. */
export class EventSchema {
  private readonly known: ReadonlySet<string> | undefined;
  private readonly upcasters = new Map<string, Upcaster>();

  constructor(options: EventSchemaOptions = {}) {
    this.known = options.knownTypes === undefined ? undefined : new Set(options.knownTypes);
    for (const upcaster of options.upcasters ?? []) {
      const key = upcasterKey(upcaster.type, upcaster.fromVersion);
      if (this.upcasters.has(key)) {
        throw new InvalidInputError(
          'upcasters',
          `two upcasters for ${upcaster.type} v${upcaster.fromVersion}`,
        );
      }
      this.upcasters.set(key, upcaster);
    }
  }

  assertKnown(type: string, where: string | (() => string)): void {
    if (this.known !== undefined && !this.known.has(type)) {
      throw new UnknownEventTypeError(type, typeof where === 'string' ? where : where());
    }
  }

  /** Applies upcasters one schema version at a time until none is left for the event's version. */
  upcast(event: StoredEvent): StoredEvent {
    if (this.upcasters.size === 0) {
      this.assertKnown(event.type, () => `stream '${event.streamId}' at version ${event.version}`);
      return event;
    }
    let current = event;
    for (let step = 0; step < 1000; step++) {
      const upcaster = this.upcasters.get(upcasterKey(current.type, current.schemaversion));
      if (upcaster === undefined) break;
      current = {
        ...current,
        type: upcaster.toType ?? current.type,
        data: upcaster.upcast(current.data),
        schemaversion: current.schemaversion + 1,
      };
    }
    this.assertKnown(current.type, () => `stream '${event.streamId}' at version ${event.version}`);
    return current;
  }
}

function upcasterKey(type: string, fromVersion: number): string {
  return `${fromVersion}\u0000${type}`;
}
