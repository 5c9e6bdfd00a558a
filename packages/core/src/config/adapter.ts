import { AdapterNotInstalledError, ConfigError } from './errors.js';
import { mergeOptions, readParams } from './params.js';
import { type ConfigUrl, parseConfigUrl, requireNoLocation } from './url.js';

/** How an adapter package is imported: by default from where @eventloom/core is installed. */
export type ModuleLoader = (specifier: string) => Promise<unknown>;

export const importFromCore: ModuleLoader = (specifier) => import(specifier);

/** A store or transport that a URL scheme names. */
export interface Adapter<T> {
  /** Its key in `storeOptions` / `transportOptions`, where code adds options the URL cannot carry. */
  readonly key: string;
  readonly schemes: readonly string[];
  readonly packageName: string;
  /** Checks the URL and turns it into the adapter's options, loading nothing. */
  readonly options: (url: ConfigUrl) => Record<string, unknown>;
  readonly open: (options: Record<string, unknown>, loader: ModuleLoader, url: ConfigUrl) => Promise<T>;
}

export interface ResolvedAdapter<T> {
  readonly adapter: Adapter<T>;
  readonly url: ConfigUrl;
  readonly options: Record<string, unknown>;
}

/** Parses `text` and finds the adapter of its scheme; fails, naming `field`, on anything unusable. */
export function resolveAdapter<T>(
  registry: readonly Adapter<T>[],
  text: unknown,
  field: string,
): ResolvedAdapter<T> {
  const url = parseConfigUrl(text, field);
  const adapter = registry.find((candidate) => candidate.schemes.includes(url.scheme));
  if (adapter === undefined) {
    const schemes = registry.flatMap((candidate) => candidate.schemes.map((scheme) => `${scheme}:`));
    throw new ConfigError(
      field,
      url.shown,
      `unknown scheme '${url.scheme}:' (expected ${schemes.join(', ')})`,
    );
  }
  return { adapter, url, options: adapter.options(url) };
}

/** Opens the adapter with the URL's options and the code's laid over them. */
export async function openAdapter<T>(
  { adapter, url, options }: ResolvedAdapter<T>,
  codeOptions: Readonly<Record<string, unknown>> | undefined,
  loader: ModuleLoader,
): Promise<T> {
  try {
    return await adapter.open(mergeOptions(options, codeOptions), loader, url);
  } catch (error) {
    if (!isInvalidInput(error)) throw error;
    throw new ConfigError(url.field, url.shown, error.message, { cause: error });
  }
}

/** The `memory:` adapter of a store or transport: a URL with no location and no parameters. */
export function memoryAdapter<T>(open: (options: Record<string, unknown>) => Promise<T>): Adapter<T> {
  return {
    key: 'memory',
    schemes: ['memory'],
    packageName: '@eventloom/core',
    options: (url) => {
      requireNoLocation(url);
      return readParams(url, {});
    },
    open: (options) => open(options),
  };
}

/** An `open` that imports `packageName` only now, and calls its factory `factoryName`. */
export function fromPackage<T>(packageName: string, factoryName: string): Adapter<T>['open'] {
  return async (options, loader, url) => {
    const module = (await importPackage(packageName, loader, url)) as Record<string, unknown>;
    const factory = module[factoryName];
    if (typeof factory !== 'function') {
      throw new ConfigError(
        url.field,
        url.shown,
        `${packageName} does not export ${factoryName}; install a version that matches @eventloom/core`,
      );
    }
    return (await factory(options)) as T;
  };
}

async function importPackage(packageName: string, loader: ModuleLoader, url: ConfigUrl): Promise<unknown> {
  try {
    return await loader(packageName);
  } catch (error) {
    if (isMissing(error, packageName)) {
      throw new AdapterNotInstalledError(url.field, url.shown, packageName, { cause: error });
    }
    throw error;
  }
}

/** The package itself is missing (not one of its own dependencies). */
function isMissing(error: unknown, packageName: string): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  const notFound = code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
  return notFound && typeof message === 'string' && message.includes(`'${packageName}'`);
}

/** Checked by shape: an adapter compiled against another copy of core throws its own class. */
function isInvalidInput(error: unknown): error is Error & { field: string } {
  return error instanceof Error && error.name === 'InvalidInputError' && 'field' in error;
}
