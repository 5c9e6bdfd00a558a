import { describe, expect, it } from 'vitest';
import type { Envelope } from '../envelope/envelope.js';
import {
  InvalidInputError,
  NotSerializableError,
  PayloadTooLargeError,
  UnknownEventTypeError,
} from '../errors.js';
import type { EventStore, ExpectedVersion, UnitOfWork } from '../store/contract.js';
import { EventSchema } from '../store/schema.js';
import { anEvent, type OpenStore, type StoreFactoryOptions } from './store-conformance-fixtures.js';

interface BadInput {
  readonly name: string;
  readonly options?: StoreFactoryOptions;
  readonly attempt: (uow: UnitOfWork) => Promise<unknown>;
  readonly error: abstract new (...args: never[]) => Error;
  readonly message: RegExp;
}

const cyclic = (): unknown => {
  const node: Record<string, unknown> = { name: 'loop' };
  node.self = node;
  return node;
};

const appendData = (data: unknown) => (uow: UnitOfWork) => uow.append('bad', [anEvent('good', data)], 'any');

const BAD_INPUTS: BadInput[] = [
  {
    name: 'an unknown event type',
    options: { schema: new EventSchema({ knownTypes: ['good'] }) },
    attempt: (uow) => uow.append('bad', [anEvent('mystery')], 'any'),
    error: UnknownEventTypeError,
    message: /unknown event type 'mystery'/,
  },
  {
    name: 'a function in data',
    attempt: appendData({ f: () => 1 }),
    error: NotSerializableError,
    message: /data\.f.*function/,
  },
  {
    name: 'a BigInt in data',
    attempt: appendData({ big: 10n }),
    error: NotSerializableError,
    message: /data\.big.*BigInt/,
  },
  {
    name: 'a cycle in data',
    attempt: appendData(cyclic()),
    error: NotSerializableError,
    message: /data\.self.*cyclic/,
  },
  {
    name: 'a Date in data',
    attempt: appendData({ at: new Date() }),
    error: NotSerializableError,
    message: /data\.at.*Date/,
  },
  {
    name: 'NaN in data',
    attempt: appendData([Number.NaN]),
    error: NotSerializableError,
    message: /data\[0\].*NaN/,
  },
  {
    name: 'an empty stream id',
    attempt: (uow) => uow.append('', [anEvent('good')], 'any'),
    error: InvalidInputError,
    message: /streamId: must be a non-empty string/,
  },
  {
    name: 'an over-long stream id',
    options: { limits: { maxStreamIdLength: 16 } },
    attempt: (uow) => uow.append('x'.repeat(17), [anEvent('good')], 'any'),
    error: InvalidInputError,
    message: /streamId: is 17 characters, over the limit of 16/,
  },
  {
    name: 'an oversized payload',
    options: { limits: { maxEventBytes: 64 } },
    attempt: appendData({ text: 'x'.repeat(100) }),
    error: PayloadTooLargeError,
    message: /over the limit of 64 bytes/,
  },
  ...[-1, 1.5, 'latest', null].map((expected) => ({
    name: `expected version ${String(expected)}`,
    attempt: (uow: UnitOfWork) => uow.append('bad', [anEvent('good')], expected as ExpectedVersion),
    error: InvalidInputError,
    message: /expectedVersion/,
  })),
  {
    name: 'an envelope without a partition key',
    attempt: (uow) =>
      uow.append('bad', [{ ...anEvent('good'), partitionkey: undefined } as unknown as Envelope], 'any'),
    error: InvalidInputError,
    message: /partitionkey/,
  },
  {
    name: 'a BigInt in an outbox message',
    attempt: (uow) => uow.enqueue([anEvent('good', { big: 1n })]),
    error: NotSerializableError,
    message: /messages\[0\]\.data\.big/,
  },
  {
    name: 'a Date as a document',
    attempt: (uow) => uow.documents('docs').put('d', new Date() as never),
    error: NotSerializableError,
    message: /Date/,
  },
  {
    name: 'a function in a snapshot',
    attempt: (uow) =>
      uow.saveSnapshot({ streamId: 'good', version: 1, schemaversion: 1, state: { f: (() => 1) as never } }),
    error: NotSerializableError,
    message: /snapshot\.state\.f/,
  },
  {
    name: 'an invalid due time',
    attempt: (uow) => uow.schedule({ id: 'bad', dueAt: new Date(Number.NaN), envelope: anEvent('good') }),
    error: InvalidInputError,
    message: /dueAt/,
  },
  {
    name: 'an empty message id',
    attempt: (uow) => uow.claim('c', ''),
    error: InvalidInputError,
    message: /messageId/,
  },
  {
    name: 'a negative checkpoint',
    attempt: (uow) => uow.saveCheckpoint('cp', -1),
    error: InvalidInputError,
    message: /position/,
  },
];

/** One of each write, all valid: none may survive when a later call in the transaction fails. */
async function writeEverything(uow: UnitOfWork): Promise<void> {
  await uow.append('good', [anEvent('good')], 'no-stream');
  await uow.enqueue([anEvent('good')]);
  await uow.claim('consumer', 'message');
  await uow.documents('docs').put('doc', { ok: true });
  await uow.saveCheckpoint('checkpoint', 1);
  await uow.schedule({ id: 'timer', dueAt: new Date(), envelope: anEvent('good') });
}

async function expectNothingWritten(store: EventStore): Promise<void> {
  expect(await store.readAll()).toEqual([]);
  expect(await store.pendingOutbox(10)).toEqual([]);
  expect(await store.nextDueAt()).toBeUndefined();
  const left = await store.transaction(async (uow) => ({
    claimable: await uow.claim('consumer', 'message'),
    doc: await uow.documents('docs').get('doc'),
    checkpoint: await uow.loadCheckpoint('checkpoint'),
  }));
  expect(left).toEqual({ claimable: true, doc: undefined, checkpoint: undefined });
}

export function describeBadInput(open: OpenStore): void {
  describe('bad input (conformance 7)', () => {
    it.each(BAD_INPUTS)('$name: a typed error naming the problem, and nothing written', async (bad) => {
      const store = await open(bad.options);
      const attempt = store.transaction(async (uow) => {
        await writeEverything(uow);
        await bad.attempt(uow);
      });
      const error = await attempt.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(bad.error);
      expect((error as Error).message).toMatch(bad.message);
      await expectNothingWritten(store);
    });

    it('a bad event anywhere in an append writes none of it, even when the error is caught', async () => {
      const store = await open();
      const caught = await store.transaction(async (uow) => {
        const events = [anEvent('good'), anEvent('good'), anEvent('good', { f: () => 1 })];
        const error = await uow.append('partial', events, 'any').catch((e: unknown) => e);
        await uow.append('after', [anEvent('good')], 'no-stream');
        return error;
      });
      expect(caught).toBeInstanceOf(NotSerializableError);
      expect(await store.streamVersion('partial')).toBe(0);
      expect((await store.readAll()).map((e) => e.streamId)).toEqual(['after']);
    });
  });
}
