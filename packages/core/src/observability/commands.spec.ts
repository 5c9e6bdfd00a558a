import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { decider } from '../domain/decider.js';
import { CommandExecutor } from '../domain/execute.js';
import { createMemoryStore } from '../store/memory/index.js';
import type { LogFields, Logger } from './logging/logger.js';
import { observability } from './observability.js';
import { createTestTelemetry, metricTotal } from './testing/telemetry.js';
import { placeOrder } from './testing/traced-scenario.js';

const broken = decider<{ type: 'break' }, { type: 'never.happened'; data: null }, null>({
  name: 'broken',
  eventTypes: { 'never.happened': true },
  initialState: () => null,
  evolve: (state) => state,
  decide: () => {
    throw new Error('a bug in decide');
  },
});

describe('commands observed', () => {
  it('a rejection and a thrown error: outcome on the span and the counter, one log line each', async () => {
    const telemetry = await createTestTelemetry();
    const lines: { level: string; message: string | undefined; fields: LogFields }[] = [];
    const write = (level: string) => (fields: LogFields, message?: string) =>
      lines.push({ level, message, fields });
    const logger: Logger = {
      debug: write('debug'),
      info: write('info'),
      warn: write('warn'),
      error: write('error'),
      child: () => logger,
    };
    const obs = await observability({ ...telemetry, logger });
    const executor = new CommandExecutor(createMemoryStore(), obs.executor);
    expect(E.isRight(await executor.execute(...placeOrder('o-1')))).toBe(true);
    expect(E.isLeft(await executor.execute(...placeOrder('o-1')))).toBe(true);
    await expect(executor.execute(broken, 'b-1', { type: 'break' })).rejects.toThrow('a bug in decide');
    const points = await telemetry.collect();
    const spans = telemetry.spans();
    obs.close();
    await telemetry.close();
    const outcomes = (name: string) =>
      spans.filter((span) => span.name === name).map((span) => span.attributes['eventloom.outcome']);
    expect(outcomes('execute order')).toEqual(['accepted', 'rejected']);
    expect(spans.find((span) => span.name === 'execute broken')).toMatchObject({
      status: 2,
      events: ['exception'],
    });
    expect(metricTotal(points, 'eventloom.commands', { 'eventloom.outcome': 'rejected' })).toBe(1);
    expect(
      metricTotal(points, 'eventloom.commands', {
        'eventloom.decider': 'broken',
        'eventloom.outcome': 'error',
      }),
    ).toBe(1);
    expect(lines.map(({ level, message }) => `${level} ${message}`)).toEqual([
      'debug command accepted',
      'info command rejected',
      'error command failed',
    ]);
    expect(lines[1]?.fields).toEqual({ reason: 'already placed' });
  });
});
