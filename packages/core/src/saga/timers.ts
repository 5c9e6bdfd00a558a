import type { HandlerContext } from '../consumer/handler.js';
import type { Envelope } from '../envelope/envelope.js';
import type { JsonValue } from '../envelope/json.js';
import { InvalidInputError } from '../errors.js';
import type { SagaTimeoutRequest } from './definition.js';
import { derivedId } from './ids.js';

/** The message type of saga `name`'s timers. */
export const sagaTimeoutType = (saga: string): string => `eventloom.saga-timeout.${saga}`;

/** What a timer's scheduled message carries. Its envelope id is the token the instance keeps. */
export interface TimerPayload {
  readonly saga: string;
  readonly sagaId: string;
  readonly name: string;
  readonly data: JsonValue;
}

export type Timers = Readonly<Record<string, string>>;

/** The payload of a timer message of saga `saga`; a malformed one is a bug, not a message to skip. */
export function readTimer(message: Envelope, saga: string): TimerPayload {
  const data = message.data as Partial<TimerPayload> | null;
  const valid =
    typeof data === 'object' &&
    data !== null &&
    data.saga === saga &&
    typeof data.sagaId === 'string' &&
    data.sagaId.length > 0 &&
    typeof data.name === 'string';
  if (!valid) throw new InvalidInputError(`${message.type}.data`, `is not a timer of saga '${saga}'`);
  return { saga, sagaId: data.sagaId!, name: data.name!, data: data.data ?? null };
}

/** Writes timer changes through the scheduler: only what is set in `timers` may fire. */
export class TimerWriter {
  private readonly timers: Record<string, string>;

  constructor(
    private readonly saga: string,
    private readonly sagaId: string,
    private readonly context: HandlerContext,
    current: Timers,
  ) {
    this.timers = { ...current };
  }

  get current(): Timers {
    return this.timers;
  }

  async cancel(name: string): Promise<void> {
    const token = this.timers[name];
    if (token === undefined) return;
    delete this.timers[name];
    await this.context.cancelScheduled(token);
  }

  async cancelAll(): Promise<void> {
    for (const name of Object.keys(this.timers)) await this.cancel(name);
  }

  /** Sets `request` (replacing a timer of the same name); its id derives from the causing message. */
  async set(request: SagaTimeoutRequest): Promise<void> {
    await this.cancel(request.name);
    const token = derivedId(this.saga, this.context.message.id, 'timer', request.name);
    const payload: TimerPayload = {
      saga: this.saga,
      sagaId: this.sagaId,
      name: request.name,
      data: request.data ?? null,
    };
    const message = {
      type: sagaTimeoutType(this.saga),
      data: payload,
      id: token,
      subject: this.sagaId,
      partitionkey: this.sagaId,
      time: this.context.now(),
    };
    const when = 'at' in request ? { at: request.at } : { afterMs: request.afterMs };
    await this.context.schedule({ message, id: token, ...when });
    this.timers[request.name] = token;
  }
}
