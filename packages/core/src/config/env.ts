import { resolveAdapter } from './adapter.js';
import { checkName, checkTopicPrefix } from './check.js';
import { DEFAULT_STORE_URL, STORE_ADAPTERS } from './stores.js';
import { DEFAULT_TRANSPORT_URL, TRANSPORT_ADAPTERS } from './transports.js';

/** The environment variables `fromEnv` reads; an empty one counts as unset. */
export const ENV_VARIABLES = {
  store: 'EVENTLOOM_STORE',
  transport: 'EVENTLOOM_TRANSPORT',
  name: 'EVENTLOOM_NAME',
  topicPrefix: 'EVENTLOOM_TOPIC_PREFIX',
} as const;

/** Options read from the environment, to spread into `createEventloom`. */
export interface EnvConfig {
  readonly store: string;
  readonly transport: string;
  readonly name?: string;
  readonly topicPrefix?: string;
}

/**
 * Reads the store and transport URLs (the embedded default when unset: SQLite and the in-memory
 * transport), the service name and topic prefix, and checks them at once: an invalid one fails
 * naming the variable and its value. Adapter options travel in each URL's query.
 */
export function fromEnv(env: Readonly<Record<string, string | undefined>> = process.env): EnvConfig {
  const read = (name: string) => (env[name] === '' ? undefined : env[name]);
  const store = read(ENV_VARIABLES.store) ?? DEFAULT_STORE_URL;
  const transport = read(ENV_VARIABLES.transport) ?? DEFAULT_TRANSPORT_URL;
  resolveAdapter(STORE_ADAPTERS, store, ENV_VARIABLES.store);
  resolveAdapter(TRANSPORT_ADAPTERS, transport, ENV_VARIABLES.transport);
  const name = read(ENV_VARIABLES.name);
  const topicPrefix = read(ENV_VARIABLES.topicPrefix);
  if (name !== undefined) checkName(name, ENV_VARIABLES.name);
  if (topicPrefix !== undefined) checkTopicPrefix(topicPrefix, ENV_VARIABLES.topicPrefix);
  return {
    store,
    transport,
    ...(name === undefined ? {} : { name }),
    ...(topicPrefix === undefined ? {} : { topicPrefix }),
  };
}
