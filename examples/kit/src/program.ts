import { type Eventloom, fromEnv } from '@eventloom/core';
import { ALL_SERVICES, chooseServices } from './services.js';
import { openSystem, type SystemDefinition } from './system.js';
import { Timeline } from './timeline.js';

/** The part of a program that runs a scenario and judges its outcome; it runs in its service's process. */
export interface Driver {
  readonly service: string;
  /** True when the outcome is the expected one; stops early (any result) when `signal` aborts. */
  run(app: Eventloom, signal: AbortSignal): Promise<boolean>;
}

/** Time a stopped program may take to exit before it is made to. */
const EXIT_GRACE_MS = 5_000;

/**
 * An example's `main`: `node main.js [all|<service>]` wires the chosen services from the
 * environment (EVENTLOOM_STORE, EVENTLOOM_TRANSPORT, …), prints the timeline, and either drives
 * the scenario to its end or serves until SIGINT/SIGTERM; either way it stops gracefully.
 */
export async function runProgram(system: SystemDefinition, driver: Driver): Promise<void> {
  const stopRequested = new AbortController();
  onStopSignal(() => stopRequested.abort());
  try {
    const ok = await runRole(system, driver, process.argv[2] ?? ALL_SERVICES, stopRequested.signal);
    exitSoon(ok ? 0 : 1);
  } catch (error) {
    console.error(`${system.name}: ${error instanceof Error ? error.message : String(error)}`);
    exitSoon(1);
  }
}

async function runRole(
  system: SystemDefinition,
  driver: Driver,
  role: string,
  signal: AbortSignal,
): Promise<boolean> {
  const services = chooseServices(system.services, role);
  const timeline = new Timeline(services.flatMap((service) => service.sagas ?? []));
  const app = await openSystem(system, { role, config: fromEnv(), timeline });
  try {
    console.log(
      `${system.name} [${role}] as '${app.name}': store ${app.store.kind}, transport ${app.transport.kind}`,
    );
    if (services.some((service) => service.name === driver.service)) {
      return (await driver.run(app, signal)) || signal.aborted;
    }
    console.log('ready');
    if (!signal.aborted)
      await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
    return true;
  } finally {
    await timeline.flushed();
    await app.stop();
    console.log(signal.aborted ? 'stopped on request' : 'stopped');
  }
}

/** The first SIGINT or SIGTERM asks for a graceful stop; a second one ends the process at once. */
function onStopSignal(stop: () => void): void {
  let requested = false;
  const handle = (signal: NodeJS.Signals) => {
    if (requested) process.exit(signal === 'SIGINT' ? 130 : 143);
    requested = true;
    console.log(`${signal}: stopping gracefully (again to exit at once)`);
    stop();
  };
  process.on('SIGINT', handle);
  process.on('SIGTERM', handle);
}

function exitSoon(code: number): void {
  process.exitCode = code;
  setTimeout(() => {
    console.error(`still running ${EXIT_GRACE_MS} ms after stop: exiting`);
    process.exit(code);
  }, EXIT_GRACE_MS).unref();
}
