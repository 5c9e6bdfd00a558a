import { afterEach, describe, expect, it, vi } from 'vitest';
import { InvalidInputError } from '../errors.js';
import { combine } from './instrumentation.js';
import type { Logger } from './logging/logger.js';
import { observability } from './observability.js';

const publishedArgs = [[], 1, { transport: 'memory', messages: [] }] as const;

describe('observability()', () => {
  afterEach(() => {
    vi.doUnmock('@opentelemetry/api');
    vi.resetModules();
  });

  it('without @opentelemetry/api installed, keeps only logging, and logs nothing by default', async () => {
    vi.doMock('@opentelemetry/api', () => {
      throw new Error("Cannot find package '@opentelemetry/api'");
    });
    vi.resetModules();
    const { observability: withoutApi } = await import('./observability.js');
    const fresh = await import('./logging/logger.js');
    const silent = await withoutApi();
    expect(silent.executor.middleware).toEqual([]);
    expect(silent.consumer).toMatchObject({ middleware: [], deliveryMiddleware: [], observer: {} });
    expect(silent.relay.observer).toEqual({});
    expect(silent.logger).toBe(fresh.silentLogger);
    const logged = await withoutApi({ logger: fresh.silentLogger });
    expect(logged.executor.middleware).toHaveLength(1);
    expect(logged.consumer.deliveryMiddleware).toHaveLength(1);
  });

  it('with tracing and metrics off and no logger, hooks nothing', async () => {
    const off = await observability({ tracing: false, metrics: false });
    expect(off.executor.middleware).toEqual([]);
    expect(off.consumer.middleware).toEqual([]);
    expect(off.watch({})).toBeTypeOf('function');
  });

  it('names the field of a logger without pino’s methods', async () => {
    const notALogger = { info: () => {} } as unknown as Logger;
    await expect(observability({ logger: notALogger })).rejects.toThrow(InvalidInputError);
    await expect(observability({ logger: notALogger })).rejects.toThrow('observability.logger');
  });

  it('a concern whose observer throws does not keep the others from being told', () => {
    const told: string[] = [];
    const hooks = combine([
      { relay: { published: () => told.push('first') } },
      {
        relay: {
          published: () => {
            throw new Error('broken observer');
          },
        },
      },
      { relay: { published: () => told.push('third'), failed: () => told.push('failed') } },
    ]);
    hooks.relay.observer.published?.(...publishedArgs);
    hooks.relay.observer.failed?.(new Error('x'), 1);
    expect(told).toEqual(['first', 'third', 'failed']);
  });

  it('runs handlers inside a saga scope only when a concern observes sagas', () => {
    const handler = async (_context: unknown, next: () => Promise<void>) => next();
    expect(combine([{ handler }]).consumer.middleware).toEqual([handler]);
    expect(combine([{ handler, saga: { transitioned: () => {} } }]).consumer.middleware).toHaveLength(2);
  });
});
