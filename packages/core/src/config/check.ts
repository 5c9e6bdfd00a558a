import type { AnyMessageHandler } from '../consumer/registry.js';
import type { AnyDecider } from '../domain/decider.js';
import { InvalidInputError } from '../errors.js';
import type { AsyncProjectionOptions } from '../projection/async.js';
import { type AnyProjection, validateProjection } from '../projection/projection.js';
import type { AnySaga } from '../saga/definition.js';
import type { EventStore } from '../store/contract.js';
import { requireText } from '../store/validate.js';
import type { Transport } from '../transport/contract.js';
import { type Adapter, type ResolvedAdapter, resolveAdapter } from './adapter.js';
import { ConfigError } from './errors.js';
import {
  DEFAULT_NAME,
  type EventloomOptions,
  OPTION_NAMES,
  type ProjectionEntry,
  type ProjectionMode,
} from './options.js';
import { DEFAULT_STORE_URL, STORE_ADAPTERS } from './stores.js';
import { DEFAULT_TRANSPORT_URL, TRANSPORT_ADAPTERS } from './transports.js';

/** The options, checked: URLs parsed (nothing opened yet), lists validated, projections sorted by mode. */
export interface CheckedOptions {
  readonly name: string;
  readonly topicPrefix: string;
  readonly store: Target<EventStore>;
  readonly transport: Target<Transport>;
  readonly aggregates: readonly AnyDecider[];
  readonly sagas: readonly AnySaga[];
  readonly handlers: readonly AnyMessageHandler[];
  readonly inlineProjections: readonly AnyProjection[];
  readonly transportProjections: readonly AnyProjection[];
  readonly asyncProjections: readonly { projection: AnyProjection; options: AsyncProjectionOptions }[];
}

/** An instance the caller gave (and keeps), or a URL for the app to open (and close). */
export type Target<T> = { readonly instance: T } | { readonly url: ResolvedAdapter<T> };

const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const TOPIC_PREFIX_PATTERN = /^[A-Za-z0-9._-]{0,100}$/;
const MODES: readonly ProjectionMode[] = ['inline', 'async', 'transport'];

/** Fails at once, naming the field and the value, on anything the app could not start with. */
export function checkOptions(options: EventloomOptions): CheckedOptions {
  requireKnownOptions(options);
  return {
    name: checkName(options.name ?? DEFAULT_NAME, 'name'),
    topicPrefix: checkTopicPrefix(options.topicPrefix ?? '', 'topicPrefix'),
    store: instanceOrUrl(options.store ?? DEFAULT_STORE_URL, 'store', STORE_METHODS, STORE_ADAPTERS),
    transport: instanceOrUrl(
      options.transport ?? DEFAULT_TRANSPORT_URL,
      'transport',
      TRANSPORT_METHODS,
      TRANSPORT_ADAPTERS,
    ),
    aggregates: checkAggregates(list(options.aggregates, 'aggregates')),
    sagas: checkEach(list(options.sagas, 'sagas'), 'made by saga() or orchestration()', isSaga),
    handlers: checkEach(list(options.handlers, 'handlers'), 'a MessageHandler', isHandler),
    ...sortProjections(list(options.projections, 'projections')),
  };
}

const STORE_METHODS = ['transaction', 'close'] as const;
const TRANSPORT_METHODS = ['publish', 'subscribe', 'close'] as const;
const isSaga = (saga: AnySaga) => typeof saga?.definition === 'object';
const isHandler = (entry: AnyMessageHandler) => typeof entry?.handle === 'function';

function requireKnownOptions(options: EventloomOptions): void {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidInputError('options', 'must be an object');
  }
  const unknown = Object.keys(options).find((key) => !(OPTION_NAMES as readonly string[]).includes(key));
  if (unknown === undefined) return;
  const value = String(options[unknown as keyof EventloomOptions]);
  throw new ConfigError(unknown, value, `is not an option (known: ${OPTION_NAMES.join(', ')})`);
}

function instanceOrUrl<T>(
  value: T | string,
  field: string,
  methods: readonly string[],
  registry: readonly Adapter<T>[],
): Target<T> {
  if (typeof value === 'string') return { url: resolveAdapter(registry, value, field) };
  const missing = methods.find(
    (method) => typeof (value as Record<string, unknown> | null)?.[method] !== 'function',
  );
  if (missing !== undefined)
    throw new InvalidInputError(
      field,
      `must be a URL or an object with ${methods.join(', ')}() (no ${missing}())`,
    );
  return { instance: value };
}

/** The app's name: its consumer group. */
export function checkName(value: unknown, field: string): string {
  return matching(value, NAME_PATTERN, field, '1–100 letters, digits, dots, underscores or hyphens');
}

/** Legal at the start of a topic on every transport. */
export function checkTopicPrefix(value: unknown, field: string): string {
  return matching(
    value,
    TOPIC_PREFIX_PATTERN,
    field,
    'at most 100 letters, digits, dots, underscores or hyphens',
  );
}

function matching(value: unknown, pattern: RegExp, field: string, expected: string): string {
  if (typeof value !== 'string' || !pattern.test(value))
    throw new ConfigError(field, String(value), `must be ${expected}`);
  return value;
}

/** A list option, with its field name kept for the errors about its items. */
interface Listed<T> {
  readonly items: readonly T[];
  readonly field: string;
}

function list<T>(value: readonly T[] | undefined, field: string): Listed<T> {
  if (value === undefined) return { items: [], field };
  if (!Array.isArray(value)) throw new InvalidInputError(field, 'must be an array');
  return { items: value, field };
}

function checkEach<T>(
  { items, field }: Listed<T>,
  expected: string,
  valid: (item: T) => boolean,
): readonly T[] {
  items.forEach((item, index) => {
    if (!valid(item)) throw new InvalidInputError(`${field}[${index}]`, `must be ${expected}`);
  });
  return items;
}

function checkAggregates({ items, field: listField }: Listed<AnyDecider>): readonly AnyDecider[] {
  const names = new Set<string>();
  items.forEach((aggregate, index) => {
    const field = `${listField}[${index}]`;
    requireText(aggregate?.name, `${field}.name`);
    for (const fn of ['initialState', 'evolve', 'decide'] as const) {
      if (typeof aggregate[fn] !== 'function')
        throw new InvalidInputError(`${field}.${fn}`, 'must be a function');
    }
    if (names.has(aggregate.name))
      throw new ConfigError(`${field}.name`, aggregate.name, 'is the name of another aggregate');
    names.add(aggregate.name);
  });
  return items;
}

function sortProjections({
  items,
  field: listField,
}: Listed<ProjectionEntry>): Pick<
  CheckedOptions,
  'inlineProjections' | 'transportProjections' | 'asyncProjections'
> {
  const sorted = {
    inline: [] as AnyProjection[],
    transport: [] as AnyProjection[],
    async: [] as CheckedOptions['asyncProjections'][number][],
  };
  const names = new Set<string>();
  items.forEach((entry, index) => {
    const field = `${listField}[${index}]`;
    const { projection, mode, options } =
      'projection' in entry ? entry : { projection: entry, mode: 'inline' as const, options: undefined };
    if (!MODES.includes(mode))
      throw new ConfigError(`${field}.mode`, String(mode), `must be one of ${MODES.join(', ')}`);
    validateProjection(projection);
    if (names.has(projection.name))
      throw new ConfigError(`${field}.name`, projection.name, 'is the name of another projection');
    names.add(projection.name);
    if (mode === 'async') sorted.async.push({ projection, options: options ?? {} });
    else sorted[mode].push(projection);
  });
  return {
    inlineProjections: sorted.inline,
    transportProjections: sorted.transport,
    asyncProjections: sorted.async,
  };
}
