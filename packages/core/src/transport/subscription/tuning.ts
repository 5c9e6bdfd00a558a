import type { SubscriptionEngineConfig } from './engine.js';

/** The engine settings a transport's options pass through to every subscription. */
export type EngineTuning = Pick<SubscriptionEngineConfig, 'onError' | 'random' | 'closeTimeoutMs'>;

/** Only the tuning fields of `options`, and only those that are set. */
export function engineTuning(options: EngineTuning): EngineTuning {
  const { onError, random, closeTimeoutMs } = options;
  return {
    ...(onError === undefined ? {} : { onError }),
    ...(random === undefined ? {} : { random }),
    ...(closeTimeoutMs === undefined ? {} : { closeTimeoutMs }),
  };
}
