import { createEventloom, type Eventloom, type EventloomOptions } from '@eventloom/core';
import { chooseServices, type Service, wiringOf } from './services.js';
import type { Timeline } from './timeline.js';

/** An example's services, under one name (its consumer group when they run together). */
export interface SystemDefinition {
  readonly name: string;
  readonly services: readonly Service[];
}

export interface OpenSystemOptions {
  /** `all` (the default) or one service's name. */
  readonly role?: string;
  /** Store, transport and the rest: `fromEnv()` in a program, explicit in a test. */
  readonly config?: EventloomOptions;
  readonly timeline?: Timeline;
}

/** Wires the services of `role` into an app, starts it and prepares each service. */
export async function openSystem(
  system: SystemDefinition,
  options: OpenSystemOptions = {},
): Promise<Eventloom> {
  const { config = {}, timeline } = options;
  const services = chooseServices(system.services, options.role ?? 'all');
  const wiring = wiringOf(system.name, services, system.services);
  const app = await createEventloom({
    ...config,
    ...wiring,
    name: config.name ?? wiring.name,
    relay: { ...config.relay, ...(timeline === undefined ? {} : { observer: timeline.relayObserver }) },
    consumer: {
      ...config.consumer,
      ...(timeline === undefined ? {} : { observer: timeline.consumerObserver }),
    },
  });
  timeline?.watch(app.sagas);
  try {
    await app.start();
    for (const service of services) await service.prepare?.(app);
    return app;
  } catch (error) {
    await app.stop().catch(() => undefined);
    throw error;
  }
}
