import { checkObservability } from '../observability/wiring.js';
import type { EventStore } from '../store/contract.js';
import type { Transport } from '../transport/contract.js';
import { importFromCore, type ModuleLoader, openAdapter } from './adapter.js';
import { type Closer, type Eventloom, EventloomApp } from './app.js';
import { checkOptions, type Target } from './check.js';
import type { EventloomOptions } from './options.js';
import { buildRunners } from './runners.js';

/**
 * Wires an app: checks every option (failing, naming the field and the value, before anything
 * is opened), opens the store and transport a URL names (importing an adapter package only
 * then), and builds the relay, consumer and projections. Call `start()` to run them.
 */
export async function createEventloom(options: EventloomOptions = {}): Promise<Eventloom> {
  const checked = checkOptions(options);
  checkObservability(options.observability);
  const loader = options.loadModule ?? importFromCore;
  const closers: Closer[] = [];
  try {
    const store = await openOrUse(checked.store, options.storeOptions, loader, closers);
    const transport = await openOrUse(checked.transport, options.transportOptions, loader, closers);
    const runners = buildRunners(checked, options, store, transport);
    const unwatch = options.observability?.watch({
      outbox: store,
      transport,
      group: checked.name,
      sagas: { store, sagas: checked.sagas },
    });
    if (unwatch !== undefined) closers.push(async () => unwatch());
    // The transport closes before the store: its last acks may still follow commits.
    return new EventloomApp(checked, store, transport, runners, [...closers].reverse());
  } catch (error) {
    for (const close of [...closers].reverse()) await close().catch(() => undefined);
    throw error;
  }
}

async function openOrUse<T extends EventStore | Transport>(
  target: Target<T>,
  adapterOptions: object | undefined,
  loader: ModuleLoader,
  closers: Closer[],
): Promise<T> {
  if ('instance' in target) return target.instance;
  const byAdapter = adapterOptions as Readonly<Record<string, Readonly<Record<string, unknown>>>> | undefined;
  const opened = await openAdapter(target.url, byAdapter?.[target.url.adapter.key], loader);
  closers.push(() => opened.close());
  return opened;
}
