import { type BackoffOptions, validateBackoff } from '../common/backoff.js';
import { uuidv7 } from '../envelope/ids.js';
import { InvalidInputError } from '../errors.js';
import { requirePositive, requireText } from '../store/validate.js';
import { type TopicNaming, type Transport, topicByType } from '../transport/contract.js';
import type { RelayObserver } from './observer.js';

export interface RelayOptions {
  readonly transport: Transport;
  /** The topic each message is published to; its type by default. */
  readonly topicNaming?: TopicNaming;
  /** Rows read, published and marked per round. */
  readonly batchSize?: number;
  /** Fallback poll when no in-process commit wakes the relay (other processes write too). */
  readonly pollIntervalMs?: number;
  /** Backoff with full jitter between failed rounds (publish refused, store unreachable). */
  readonly retryBackoff?: BackoffOptions;
  /** One relay per lease name is active; the others wait to take over. */
  readonly leaseName?: string;
  /** How long a lease outlives its holder's last renewal; a crashed relay is replaced after it. */
  readonly leaseTtlMs?: number;
  readonly owner?: string;
  /** How long dispatched rows are kept before they are purged. */
  readonly retentionMs?: number;
  readonly purgeIntervalMs?: number;
  readonly purgeBatchSize?: number;
  /** Longest `stop()` spends publishing what is still pending. */
  readonly drainTimeoutMs?: number;
  readonly clock?: () => Date;
  readonly observer?: RelayObserver;
}

export interface RelaySettings {
  readonly transport: Transport;
  readonly topicNaming: TopicNaming;
  readonly batchSize: number;
  readonly pollIntervalMs: number;
  readonly retryBackoff: BackoffOptions;
  readonly leaseName: string;
  readonly leaseTtlMs: number;
  readonly owner: string;
  readonly retentionMs: number;
  readonly purgeIntervalMs: number;
  readonly purgeBatchSize: number;
  readonly drainTimeoutMs: number;
  readonly clock: () => Date;
  readonly observer: RelayObserver;
}

export const RELAY_DEFAULTS = {
  batchSize: 256,
  pollIntervalMs: 1_000,
  retryBackoff: { initialMs: 50, maxMs: 10_000, multiplier: 2 },
  leaseName: 'eventloom.outbox-relay',
  leaseTtlMs: 10_000,
  retentionMs: 24 * 60 * 60 * 1000,
  purgeIntervalMs: 60_000,
  purgeBatchSize: 1_000,
  drainTimeoutMs: 5_000,
} as const;

const POSITIVE_FIELDS = [
  'batchSize',
  'pollIntervalMs',
  'leaseTtlMs',
  'retentionMs',
  'purgeIntervalMs',
  'purgeBatchSize',
  'drainTimeoutMs',
] as const;

export function resolveRelayOptions(options: RelayOptions): RelaySettings {
  if (options?.transport === undefined || typeof options.transport.publish !== 'function') {
    throw new InvalidInputError('relay.transport', 'must be a Transport');
  }
  const settings: RelaySettings = {
    transport: options.transport,
    topicNaming: options.topicNaming ?? topicByType,
    batchSize: options.batchSize ?? RELAY_DEFAULTS.batchSize,
    pollIntervalMs: options.pollIntervalMs ?? RELAY_DEFAULTS.pollIntervalMs,
    retryBackoff: validateBackoff(options.retryBackoff ?? RELAY_DEFAULTS.retryBackoff, 'relay.retryBackoff'),
    leaseName: options.leaseName ?? RELAY_DEFAULTS.leaseName,
    leaseTtlMs: options.leaseTtlMs ?? RELAY_DEFAULTS.leaseTtlMs,
    owner: options.owner ?? `relay-${uuidv7()}`,
    retentionMs: options.retentionMs ?? RELAY_DEFAULTS.retentionMs,
    purgeIntervalMs: options.purgeIntervalMs ?? RELAY_DEFAULTS.purgeIntervalMs,
    purgeBatchSize: options.purgeBatchSize ?? RELAY_DEFAULTS.purgeBatchSize,
    drainTimeoutMs: options.drainTimeoutMs ?? RELAY_DEFAULTS.drainTimeoutMs,
    clock: options.clock ?? (() => new Date()),
    observer: options.observer ?? {},
  };
  for (const field of POSITIVE_FIELDS) requirePositive(settings[field], `relay.${field}`);
  requireText(settings.leaseName, 'relay.leaseName');
  requireText(settings.owner, 'relay.owner');
  if (typeof settings.topicNaming !== 'function') {
    throw new InvalidInputError('relay.topicNaming', 'must be a function of the envelope');
  }
  return settings;
}
