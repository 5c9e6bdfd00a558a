import { notify } from '../common/notify.js';
import type { DeliveryMiddleware, HandlerMiddleware } from '../consumer/handler.js';
import type { ConsumerObserver } from '../consumer/observer.js';
import type { CommandMiddleware, CommandObserver } from '../domain/observer.js';
import type { RelayObserver } from '../outbox/observer.js';
import { observeSagas, type SagaObserver } from '../saga/observer.js';

/** What one concern (tracing, metrics, logging) hooks into the spine; every part optional. */
export interface Instrumentation {
  readonly command?: CommandMiddleware;
  readonly commandObserver?: CommandObserver;
  readonly relay?: RelayObserver;
  readonly delivery?: DeliveryMiddleware;
  readonly handler?: HandlerMiddleware;
  readonly consumer?: ConsumerObserver;
  readonly saga?: SagaObserver;
}

/** The hooks of several concerns as the executor, relay and consumer options take them. */
export interface Hooks {
  readonly executor: { readonly middleware: CommandMiddleware[]; readonly observer: CommandObserver };
  readonly relay: { readonly observer: RelayObserver };
  readonly consumer: {
    readonly deliveryMiddleware: DeliveryMiddleware[];
    readonly middleware: HandlerMiddleware[];
    readonly observer: ConsumerObserver;
  };
}

/** Joins concerns: middleware in the given order (the first outermost), observers all told. */
export function combine(parts: readonly Instrumentation[]): Hooks {
  const all = <Key extends keyof Instrumentation>(key: Key) =>
    parts.flatMap((part) =>
      part[key] === undefined ? [] : [part[key] as NonNullable<Instrumentation[Key]>],
    );
  const sagas = all('saga');
  const handlers = all('handler');
  return {
    executor: { middleware: all('command'), observer: fanOut(all('commandObserver')) },
    relay: { observer: fanOut(all('relay')) },
    consumer: {
      deliveryMiddleware: all('delivery'),
      middleware: sagas.length === 0 ? handlers : [observeSagas(fanOut(sagas)), ...handlers],
      observer: fanOut(all('consumer')),
    },
  };
}

/** One observer telling each of those given, every hook guarded on its own. */
export function tellAll<Observer extends object>(...observers: readonly (Observer | undefined)[]): Observer {
  return fanOut(observers.filter((observer): observer is Observer => observer !== undefined));
}

function fanOut<Observer extends object>(observers: readonly Observer[]): Observer {
  if (observers.length === 1) return observers[0]!;
  const keys = new Set(observers.flatMap((observer) => Object.keys(observer)));
  const hooks = [...keys].map((key) => {
    const targets = observers.flatMap((observer) => {
      const hook = (observer as Record<string, ((...args: unknown[]) => void) | undefined>)[key];
      return hook === undefined ? [] : [hook];
    });
    const tellAll = (...args: unknown[]) => {
      for (const hook of targets) notify(hook, ...args);
    };
    return [key, tellAll];
  });
  return Object.fromEntries(hooks) as Observer;
}
