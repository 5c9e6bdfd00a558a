export type { Adapter, ModuleLoader } from './adapter.js';
export type { Eventloom } from './app.js';
export { createEventloom } from './create.js';
export { ENV_VARIABLES, type EnvConfig, fromEnv } from './env.js';
export { AdapterNotInstalledError, ConfigError } from './errors.js';
export type { ConsumerSettings, EventloomOptions, ProjectionEntry, ProjectionMode } from './options.js';
export { DEFAULT_STORE_URL, type StoreAdapterOptions } from './stores.js';
export { DEFAULT_TRANSPORT_URL, type TransportAdapterOptions } from './transports.js';
