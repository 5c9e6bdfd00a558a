import { describe, expect, it } from 'vitest';
import { handler } from '../consumer/handler.js';
import { ConsumerRuntime } from '../consumer/runtime.js';
import { createEnvelope } from '../envelope/create.js';
import { createMemoryStore } from '../store/memory/index.js';
import { waitFor } from '../testing/wait.js';
import { createMemoryTransport } from '../transport/memory/index.js';
import type { LogFields, Logger } from './logging/logger.js';
import { observability } from './observability.js';
import { runTracedScenario } from './testing/traced-scenario.js';

type Line = LogFields & { readonly level: string; readonly message: string | undefined };

/** Records lines as pino would write them: the bindings of every ancestor, then the line's fields. */
function capturingLogger(lines: Line[], bindings: LogFields = {}): Logger {
  const write = (level: string) => (fields: LogFields, message?: string) => {
    lines.push({ ...bindings, ...fields, level, message });
  };
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    child: (more) => capturingLogger(lines, { ...bindings, ...more }),
  };
}

const RELAY_LINES = ['outbox batch published', 'relay lease taken', 'relay lease given up'];

describe('structured logs', () => {
  it('carry the correlation and causation ids on every line written while a command or message is handled', async () => {
    const lines: Line[] = [];
    const obs = await observability({ logger: capturingLogger(lines), tracing: false, metrics: false });
    const store = createMemoryStore();
    await runTracedScenario({ store, transport: createMemoryTransport(), hooks: obs });
    const [placed] = await store.readAll();
    const conversation = placed!.correlationid;
    const handling = lines.filter((line) => !RELAY_LINES.includes(line.message ?? ''));
    expect(handling.length).toBeGreaterThan(6);
    for (const line of handling) {
      expect(line).toMatchObject({ correlationId: conversation, causationId: expect.any(String) });
    }
    expect(
      lines.find((line) => line.message === 'command accepted' && line.decider === 'order'),
    ).toMatchObject({
      causationId: conversation,
      streamId: 'order-order-1',
      commandType: 'place',
    });
    expect(
      lines.find((line) => line.message === 'command accepted' && line.decider === 'shipment'),
    ).toMatchObject({
      consumer: 'shipping',
      messageType: 'shipping.ship-order',
      causationId: placed!.id,
    });
    expect(lines.find((line) => line.message === 'saga transition' && line.to === 'completed')).toMatchObject(
      {
        consumer: 'saga.fulfilment',
        messageType: 'shipment.dispatched',
      },
    );
    obs.close();
  });

  it('a handler logging through observability.logger gets the ids too; failures and dead letters are logged with them', async () => {
    const lines: Line[] = [];
    const obs = await observability({ logger: capturingLogger(lines), tracing: false, metrics: false });
    const transport = createMemoryTransport();
    const consumer = new ConsumerRuntime({
      store: createMemoryStore(),
      transport,
      group: 'logs',
      handlers: [
        handler({
          consumer: 'grumpy',
          types: ['job.done'],
          handle: async () => {
            obs.logger.info({ mood: 'grumpy' }, 'refusing');
            throw new Error('no');
          },
        }),
      ],
      subscription: { maxDeliveries: 1 },
      ...obs.consumer,
    });
    await consumer.start();
    const job = createEnvelope(
      { type: 'job.done', data: null },
      { correlationid: 'conv-1', causationid: 'cause-1' },
    );
    await transport.publish([{ topic: job.type, envelope: job }]);
    await waitFor(() => lines.some((line) => line.message === 'message dead-lettered'), {
      timeoutMs: 10_000,
    });
    await consumer.stop();
    const ids = { correlationId: 'conv-1', causationId: 'cause-1', messageId: job.id };
    expect(lines.find((line) => line.message === 'refusing')).toMatchObject({
      ...ids,
      consumer: 'grumpy',
      mood: 'grumpy',
    });
    expect(lines.find((line) => line.message === 'message failed')).toMatchObject({
      ...ids,
      level: 'warn',
      attempt: 1,
    });
    expect(lines.find((line) => line.message === 'message dead-lettered')).toMatchObject({
      ...ids,
      level: 'error',
      deadLetterTopic: 'logs.dead-letter',
      reason: 'Error: no',
    });
    obs.close();
  });
});
