import { describe, expect, it } from 'vitest';
import { readableName, TopologyNames } from './names.js';
import { contextBeforeFirstDot } from './options.js';

const names = (overrides: Partial<ConstructorParameters<typeof TopologyNames>[0]> = {}) =>
  new TopologyNames({
    namePrefix: 'eventloom-',
    fifo: false,
    layout: 'topic-per-type',
    contextOf: contextBeforeFirstDot,
    ...overrides,
  });

describe('topology names', () => {
  it('keeps plain names readable, writing dots as underscores', () => {
    expect(names().snsTopic('billing.invoice-sent')).toBe('eventloom-billing_invoice-sent');
    expect(names().queue('billing.projector')).toBe('eventloom-billing_projector');
    expect(names().deadLetterQueue('billing.projector')).toBe('eventloom-billing_projector-dlq');
  });

  it('ends FIFO names in .fifo, dead-letter queues included', () => {
    const fifo = names({ fifo: true });
    expect(fifo.snsTopic('a.b')).toBe('eventloom-a_b.fifo');
    expect(fifo.queue('g')).toBe('eventloom-g.fifo');
    expect(fifo.deadLetterQueue('g')).toBe('eventloom-g-dlq.fifo');
  });

  it('shortens long names stably within the limits, keeping a readable head', () => {
    const group = `orders.${'very-long-consumer-group-name-'.repeat(5)}`;
    const fifo = names({ fifo: true });
    for (const name of [fifo.queue(group), fifo.deadLetterQueue(group)]) {
      expect(name.length).toBeLessThanOrEqual(80);
      expect(name).toMatch(/^eventloom-orders_very-long-consumer-group-name-.*-[0-9a-f]{10}(-dlq)?\.fifo$/);
    }
    expect(fifo.queue(group)).toBe(fifo.queue(group));
    const topic = 'x'.repeat(300);
    expect(fifo.snsTopic(topic)).toHaveLength(256);
    expect(fifo.snsTopic(topic)).not.toBe(fifo.snsTopic(`${topic}y`));
  });

  it('never maps two names to one', () => {
    const all = ['a.b', 'a_b', 'a-b', 'a b', 'a/b', 'a.b.c', 'a_b.c', 'x', 'x-dlq'];
    const queues = all.flatMap((group) => [names().queue(group), names().deadLetterQueue(group)]);
    expect(new Set(queues).size).toBe(queues.length);
    const topics = all.map((topic) => names().snsTopic(topic));
    expect(new Set(topics).size).toBe(topics.length);
    for (const name of [...queues, ...topics]) expect(name).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('gives a group whose name ends like a dead-letter queue a hashed name', () => {
    expect(names().queue('x-dlq')).toMatch(/^eventloom-x-dlq-[0-9a-f]{10}$/);
  });

  it('maps topics of one context onto one SNS topic in the per-context layout', () => {
    const perContext = names({ layout: 'topic-per-context' });
    expect(perContext.snsTopic('billing.invoice-sent')).toBe('eventloom-billing');
    expect(perContext.snsTopic('billing.paid')).toBe('eventloom-billing');
    expect(perContext.snsTopic('shipping.sent')).toBe('eventloom-shipping');
  });

  it('hashes what it cannot show', () => {
    expect(readableName('', 50, false)).toMatch(/^-[0-9a-f]{10}$/);
    expect(readableName('ünï', 50, false)).toMatch(/^-n--[0-9a-f]{10}$/);
  });
});
