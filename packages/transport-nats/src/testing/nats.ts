import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { ErrorReporter } from '@eventloom/core';
import type { RawMessage } from '@eventloom/core/testing';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, headers as natsHeaders } from '@nats-io/transport-node';
import { afterAll, afterEach, describe } from 'vitest';
import type { NatsTransport, NatsTransportOptions } from '../index.js';
import {
  createNatsTransport,
  NATS_DEFAULTS,
  NATS_HEADER_PREFIX,
  natsName,
  partitionOf,
  SubjectNaming,
} from '../index.js';

/** The repository root, where scripts/ and .services/ live. */
export const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

/** The server the integration tests use: `scripts/services.sh up nats` writes it to .services/env. */
export const natsUrl = resolveUrl();

/** The address scripts/services.sh runs its own server on; only that one can be restarted here. */
const MANAGED_URL = 'nats://127.0.0.1:4222';

function resolveUrl(): string | undefined {
  const url = process.env.EVENTLOOM_NATS_URL;
  if (url !== undefined && url.length > 0) return url;
  const hint = 'run `bash scripts/services.sh up nats` and `set -a; . .services/env; set +a`';
  if (process.env.CI)
    throw new Error(`EVENTLOOM_NATS_URL is not set, and CI must run the NATS tests: ${hint}`);
  console.warn(`Skipping the NATS tests: EVENTLOOM_NATS_URL is not set (${hint}).`);
  return undefined;
}

/** `describe` when a server is configured, `describe.skip` otherwise. */
export const describeNats = natsUrl === undefined ? describe.skip : describe;

export const quiet: ErrorReporter = () => {};

/** Stops and starts the script's NATS server; JetStream's data stays on disk. Undefined for an external server. */
export const restartNats =
  natsUrl === MANAGED_URL
    ? async (): Promise<void> => {
        await promisify(execFile)('bash', ['scripts/services.sh', 'restart', 'nats'], { cwd: repoRoot });
      }
    : undefined;

export interface FreshTransports {
  readonly prefix: string;
  readonly streamName: string;
  readonly subjects: SubjectNaming;
  create(overrides?: Partial<NatsTransportOptions>): Promise<NatsTransport>;
  /** Publishes raw headers and body on `topic` (the partition of its `ce-partitionkey` header, if any), past the codec. */
  injectRaw(topic: string, message: RawMessage): Promise<void>;
}

/**
 * Transports of one test file, on a subject prefix and stream of their own that are deleted
 * when the file's tests are done, so runs never see each other's messages or groups.
 */
export function freshTransports(): FreshTransports {
  const prefix = `eltest-${randomBytes(5).toString('hex')}`;
  const streamName = natsName(prefix);
  const subjects = new SubjectNaming(prefix);
  const servers = natsUrl ?? MANAGED_URL;
  afterAll(async () => {
    if (natsUrl === undefined) return;
    const nc = await connect({ servers });
    await (await jetstreamManager(nc)).streams.delete(streamName).catch(() => false);
    await nc.close();
  });
  return {
    prefix,
    streamName,
    subjects,
    create: (overrides = {}) =>
      createNatsTransport({
        servers,
        subjectPrefix: prefix,
        onError: quiet,
        ...overrides,
      }),
    injectRaw: async (topic, { headers, body }) => {
      const nc = await connect({ servers });
      const raw = natsHeaders();
      for (const [name, value] of Object.entries(headers)) raw.set(name, value);
      const key = headers[`${NATS_HEADER_PREFIX}partitionkey`] ?? '';
      const partition = partitionOf(key, NATS_DEFAULTS.stream.partitions);
      await jetstream(nc).publish(subjects.subjectOf(topic, partition), body, { headers: raw });
      await nc.close();
    },
  };
}

/** Creates transports of `nats` (with option overrides) and closes them after each test. */
export function closedAfterEach(
  nats: FreshTransports,
): (overrides?: Partial<NatsTransportOptions>) => Promise<NatsTransport> {
  const opened: NatsTransport[] = [];
  afterEach(async () => {
    await Promise.allSettled(opened.splice(0).map((created) => created.close()));
  });
  return async (overrides = {}) => {
    const created = await nats.create(overrides);
    opened.push(created);
    return created;
  };
}
