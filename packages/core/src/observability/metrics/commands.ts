import { EVENTLOOM } from '../attributes.js';
import { commandOutcome } from '../command-outcome.js';
import type { Instrumentation } from '../instrumentation.js';
import { type Instruments, secondsOf } from './instruments.js';

/** Commands by decider and outcome, and how long they took. */
export function commandMetrics(instruments: Instruments): Instrumentation {
  return {
    command: async (info, next) => {
      const started = performance.now();
      const attributes = { [EVENTLOOM.decider]: info.decider };
      try {
        const result = await next();
        instruments.commands.add(1, { ...attributes, [EVENTLOOM.outcome]: commandOutcome(result) });
        return result;
      } catch (error) {
        instruments.commands.add(1, { ...attributes, [EVENTLOOM.outcome]: 'error' });
        throw error;
      } finally {
        instruments.commandDuration.record(secondsOf(performance.now() - started), attributes);
      }
    },
  };
}
