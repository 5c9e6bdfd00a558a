import type {
  AnyDecider,
  AnyMessageHandler,
  AnySaga,
  Eventloom,
  EventloomOptions,
  ProjectionEntry,
} from '@eventloom/core';

/**
 * One service of an example system: what it owns and reacts to. A process runs one service
 * (its own consumer group and store) or all of them at once.
 */
export interface Service {
  readonly name: string;
  readonly aggregates?: readonly AnyDecider[];
  readonly sagas?: readonly AnySaga[];
  readonly handlers?: readonly AnyMessageHandler[];
  readonly projections?: readonly ProjectionEntry[];
  /** Runs once the app has started: reference data the service needs (idempotent). */
  readonly prepare?: (app: Eventloom) => Promise<void>;
}

export const ALL_SERVICES = 'all';

/** The services a process runs: `all`, or one by name. */
export function chooseServices(services: readonly Service[], role: string): readonly Service[] {
  if (role === ALL_SERVICES) return services;
  const chosen = services.filter((service) => service.name === role);
  if (chosen.length === 0) {
    const roles = [ALL_SERVICES, ...services.map((service) => service.name)].join(', ');
    throw new Error(`unknown service '${role}': choose one of ${roles}`);
  }
  return chosen;
}

/** The options that wire `services` into one app; its name (consumer group) says which services run. */
export function wiringOf(
  system: string,
  services: readonly Service[],
  everything: readonly Service[],
): Pick<EventloomOptions, 'aggregates' | 'sagas' | 'handlers' | 'projections'> & { readonly name: string } {
  const name =
    services.length === everything.length ? system : `${system}.${services.map((s) => s.name).join('+')}`;
  return {
    name,
    aggregates: services.flatMap((service) => service.aggregates ?? []),
    sagas: services.flatMap((service) => service.sagas ?? []),
    handlers: services.flatMap((service) => service.handlers ?? []),
    projections: services.flatMap((service) => service.projections ?? []),
  };
}
