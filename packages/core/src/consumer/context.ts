import type { CommandExecutor } from '../domain/execute.js';
import { createEnvelope } from '../envelope/create.js';
import type { Envelope } from '../envelope/envelope.js';
import { contextCausedBy } from '../envelope/envelope.js';
import { InvalidInputError } from '../errors.js';
import type { UnitOfWork } from '../store/contract.js';
import type { HandlerContext, ScheduleRequest } from './handler.js';

export interface HandlerContextInit {
  readonly message: Envelope;
  readonly uow: UnitOfWork;
  readonly attempt: number;
  readonly consumer: string;
  readonly signal: AbortSignal;
  readonly executor: CommandExecutor;
  readonly clock: () => Date;
}

/** The context of one handler run: every helper writes through `uow` in the message's conversation. */
export function createHandlerContext(init: HandlerContextInit): HandlerContext {
  const { message, uow, executor, clock } = init;
  const causal = contextCausedBy(message);
  return {
    message,
    uow,
    attempt: init.attempt,
    consumer: init.consumer,
    signal: init.signal,
    now: clock,
    async send(...messages) {
      const envelopes = messages.map((message) => createEnvelope(message, causal));
      if (envelopes.length > 0) await uow.enqueue(envelopes);
      return envelopes;
    },
    execute: (target, id, command) => executor.executeIn(uow, target, id, command, { context: causal }),
    async schedule(request) {
      const envelope = createEnvelope(request.message, causal);
      const id = request.id ?? envelope.id;
      await uow.schedule({ id, dueAt: dueAt(request, clock), envelope });
      return id;
    },
    cancelScheduled: (id) => uow.cancelScheduled(id),
  };
}

function dueAt(request: ScheduleRequest, clock: () => Date): Date {
  if ('at' in request) return request.at;
  if (!Number.isFinite(request.afterMs) || request.afterMs < 0) {
    throw new InvalidInputError('schedule.afterMs', `must be a finite number ≥ 0, got ${request.afterMs}`);
  }
  return new Date(clock().getTime() + request.afterMs);
}
