import { deepStrictEqual, fail } from 'node:assert/strict';
import * as E from 'fp-ts/lib/Either.js';
import type { Decider, DomainCommand, DomainEvent } from '../domain/decider.js';
import { fold, isEventTypeOf } from '../domain/decider.js';
import type { Rejection } from '../domain/rejection.js';

/**
 * Given/when/then for a decider, pure and in memory:
 * `spec(cart).given([...events]).when(command).then([...events])` or `.thenRejects('reason')`.
 */
export function spec<Command extends DomainCommand, Event extends DomainEvent, State>(
  target: Decider<Command, Event, State>,
): DeciderGiven<Command, Event, State> {
  return {
    given: (events) => {
      for (const event of events) {
        if (!isEventTypeOf(target, event.type))
          fail(`given: '${event.type}' is not an event of '${target.name}'`);
      }
      return { when: (command) => new DeciderThen(target, events, command) };
    },
  };
}

export interface DeciderGiven<Command extends DomainCommand, Event extends DomainEvent, State> {
  given(events: readonly Event[]): { when(command: Command): DeciderThen<Command, Event, State> };
}

export class DeciderThen<Command extends DomainCommand, Event extends DomainEvent, State> {
  constructor(
    private readonly target: Decider<Command, Event, State>,
    private readonly history: readonly Event[],
    private readonly command: Command,
  ) {}

  /** Asserts the command is accepted with exactly these events; returns the resulting state. */
  // biome-ignore lint/suspicious/noThenProperty: the given/when/then vocabulary is the point; never awaited
  then(expected: readonly Event[]): State {
    const { decision, state } = this.run();
    if (E.isLeft(decision))
      fail(`expected events, but '${this.command.type}' was rejected: ${decision.left.reason}`);
    deepStrictEqual(decision.right, expected);
    return fold(this.target, state, decision.right);
  }

  /** Asserts the command is rejected, with this reason (and details, when given). */
  thenRejects(reason: string, details?: Rejection['details']): Rejection {
    const { decision } = this.run();
    if (E.isRight(decision)) {
      fail(
        `expected rejection '${reason}', but '${this.command.type}' produced ${JSON.stringify(decision.right)}`,
      );
    }
    deepStrictEqual(decision.left.reason, reason);
    if (details !== undefined) deepStrictEqual(decision.left.details, details);
    return decision.left;
  }

  /** Asserts decide throws (a bug or invariant violation), matching the message when given. */
  thenThrows(message?: string | RegExp): void {
    try {
      this.run();
    } catch (error) {
      if (message === undefined) return;
      const text = error instanceof Error ? error.message : String(error);
      if (typeof message === 'string' ? text.includes(message) : message.test(text)) return;
      fail(`decide threw '${text}', expected ${String(message)}`);
    }
    fail(`expected '${this.command.type}' to throw`);
  }

  private run() {
    const state = fold(this.target, this.target.initialState(), this.history);
    return { decision: this.target.decide(this.command, state), state };
  }
}
