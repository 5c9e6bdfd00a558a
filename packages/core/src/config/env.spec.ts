import { describe, expect, it } from 'vitest';
import { fromEnv } from './env.js';
import { ConfigError } from './errors.js';

describe('fromEnv', () => {
  it('is the embedded default when nothing is set, an empty variable counting as unset', () => {
    expect(fromEnv({})).toEqual({ store: 'sqlite:./data/eventloom.db', transport: 'memory:' });
    expect(fromEnv({ EVENTLOOM_STORE: '', EVENTLOOM_NAME: '' })).toEqual({
      store: 'sqlite:./data/eventloom.db',
      transport: 'memory:',
    });
  });

  it('reads every store and transport URL form, the service name and the topic prefix', () => {
    const stores = [
      'memory:',
      'sqlite:./data/a.db',
      'sqlite:///tmp/a.db?synchronous=NORMAL',
      'sqlite::memory:',
      'postgres://u:p@h:5432/db?schema=shop&sslmode=disable',
    ];
    const transports = [
      'memory:',
      'nats://127.0.0.1:4222,127.0.0.1:4223?subjectPrefix=shop&storage=memory',
      'kafka://h1:9092,h2:9092?clientId=shop&partitions=6',
      'kafka://user:secret@h1:9092?sasl=scram-sha-512&ssl=true',
      'sqs://us-east-1?endpoint=http://127.0.0.1:4566&fifo=true',
    ];
    for (const [index, store] of stores.entries()) {
      const transport = transports[index] ?? 'memory:';
      const env = {
        EVENTLOOM_STORE: store,
        EVENTLOOM_TRANSPORT: transport,
        EVENTLOOM_NAME: 'orders',
        EVENTLOOM_TOPIC_PREFIX: 'shop.',
      };
      expect(fromEnv(env)).toEqual({ store, transport, name: 'orders', topicPrefix: 'shop.' });
    }
  });

  it.each([
    ['EVENTLOOM_STORE', 'mysql://h/db', "unknown scheme 'mysql:'"],
    ['EVENTLOOM_STORE', 'sqlite:', 'needs a file path'],
    ['EVENTLOOM_STORE?synchronous', 'sqlite:./a.db?synchronous=OFF', 'must be one of FULL, NORMAL'],
    ['EVENTLOOM_STORE', 'memory://somewhere', 'takes no host or path'],
    ['EVENTLOOM_STORE', 'postgres:///db', 'needs a host'],
    ['EVENTLOOM_TRANSPORT', 'nats://', 'must be nats://host:4222'],
    ['EVENTLOOM_TRANSPORT', 'nats://h:4222?subjectprefix=x', "unknown option 'subjectprefix'"],
    ['EVENTLOOM_TRANSPORT', 'kafka://h:9092,,h2:9092', 'empty host'],
    ['EVENTLOOM_TRANSPORT?partitions', 'kafka://h:9092?partitions=many', 'must be an integer'],
    ['EVENTLOOM_TRANSPORT?sasl', 'kafka://h:9092?sasl=plain', 'needs user:password@'],
    ['EVENTLOOM_TRANSPORT?fifo', 'sqs://eu-west-1?fifo=yes', 'must be true or false'],
    ['EVENTLOOM_TRANSPORT', 'sqs://eu-west-1,us-east-1', 'names one region'],
    ['EVENTLOOM_TRANSPORT', 'memory', 'is not a URL'],
    ['EVENTLOOM_NAME', 'orders service', 'must be 1–100 letters'],
    ['EVENTLOOM_TOPIC_PREFIX', 'shop>', 'must be at most 100 letters'],
  ])('fails naming %s for %s', (field, value, problem) => {
    const variable = field.split('?')[0] ?? field;
    const read = () => fromEnv({ [variable]: value });
    expect(read).toThrow(ConfigError);
    expect(read).toThrow(expect.objectContaining({ field }));
    expect(read).toThrow(problem);
  });

  it('names the value in the message, with the password hidden', () => {
    const read = () => fromEnv({ EVENTLOOM_TRANSPORT: 'kafka://ada:s3cret@h:9092?colour=blue' });
    expect(read).toThrow('"kafka://ada:***@h:9092?colour=blue"');
    expect(read).not.toThrow('s3cret');
  });
});
