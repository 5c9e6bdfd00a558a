import { ConfigError } from './errors.js';
import type { ConfigUrl } from './url.js';

/** One `?name=value` option of an adapter URL: its type, and where it goes in the adapter's options. */
export interface ParamSpec {
  readonly kind: 'string' | 'integer' | 'boolean';
  /** Dotted path in the adapter's options (`topology.partitions`); the option's own name by default. */
  readonly path?: string;
  /** The only values allowed, for a string. */
  readonly oneOf?: readonly string[];
}

export type ParamSpecs = Readonly<Record<string, ParamSpec>>;

/**
 * Reads the URL's options into a nested options object. An unknown option fails, naming it,
 * unless `keepUnknown` (the rest of the query then stays the driver's, as in PostgreSQL URLs).
 */
export function readParams(url: ConfigUrl, specs: ParamSpecs, keepUnknown = false): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  const seen = new Set<string>();
  for (const [name, raw] of url.params) {
    const spec = specs[name];
    if (spec === undefined) {
      if (keepUnknown) continue;
      const known = Object.keys(specs);
      const hint = known.length === 0 ? 'it takes none' : `known: ${known.join(', ')}`;
      throw new ConfigError(url.field, url.shown, `unknown option '${name}' for ${url.scheme}: (${hint})`);
    }
    if (seen.has(name)) throw new ConfigError(`${url.field}?${name}`, raw, 'is given twice');
    seen.add(name);
    setPath(options, spec.path ?? name, convert(raw, spec, `${url.field}?${name}`));
  }
  return options;
}

/** The query without the options `specs` takes: what is left for the driver. */
export function queryWithout(url: ConfigUrl, specs: ParamSpecs): string {
  const rest = new URLSearchParams([...url.params].filter(([name]) => specs[name] === undefined));
  const query = rest.toString();
  return query.length === 0 ? '' : `?${query}`;
}

function convert(raw: string, spec: ParamSpec, field: string): unknown {
  switch (spec.kind) {
    case 'integer': {
      const value = Number(raw);
      if (!/^-?\d+$/.test(raw) || !Number.isSafeInteger(value)) {
        throw new ConfigError(field, raw, 'must be an integer');
      }
      return value;
    }
    case 'boolean':
      if (raw === 'true' || raw === '1') return true;
      if (raw === 'false' || raw === '0') return false;
      throw new ConfigError(field, raw, 'must be true or false');
    case 'string':
      if (raw.length === 0) throw new ConfigError(field, raw, 'must not be empty');
      if (spec.oneOf !== undefined && !spec.oneOf.includes(raw)) {
        throw new ConfigError(field, raw, `must be one of ${spec.oneOf.join(', ')}`);
      }
      return raw;
  }
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  const last = keys.pop()!;
  let node = target;
  for (const key of keys) {
    node[key] ??= {};
    node = node[key] as Record<string, unknown>;
  }
  node[last] = value;
}

/** `over` laid on `base`, merging nested plain objects (the adapters' `stream`, `topology`, …). */
export function mergeOptions(
  base: Readonly<Record<string, unknown>>,
  over: Readonly<Record<string, unknown>> | undefined,
): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over ?? {})) {
    const current = merged[key];
    merged[key] = isPlainObject(current) && isPlainObject(value) ? mergeOptions(current, value) : value;
  }
  return merged;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}
