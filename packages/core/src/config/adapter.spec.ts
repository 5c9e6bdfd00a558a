import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../errors.js';
import { fromPackage, importFromCore, type ModuleLoader, openAdapter, resolveAdapter } from './adapter.js';
import { AdapterNotInstalledError, ConfigError } from './errors.js';
import { STORE_ADAPTERS } from './stores.js';
import { TRANSPORT_ADAPTERS } from './transports.js';
import { parseConfigUrl } from './url.js';

const transportOptions = (url: string) => resolveAdapter(TRANSPORT_ADAPTERS, url, 'transport').options;
const storeOptions = (url: string) => resolveAdapter(STORE_ADAPTERS, url, 'store').options;

describe('adapter URLs', () => {
  it('turn into each adapter’s options', () => {
    expect(storeOptions('sqlite:./data/a b.db?synchronous=NORMAL&busyTimeoutMs=100')).toEqual({
      path: './data/a b.db',
      synchronous: 'NORMAL',
      busyTimeoutMs: 100,
    });
    expect(storeOptions('postgres://u:p%40ss@h:5432/db?schema=shop&sslmode=require&poolSize=4')).toEqual({
      connectionString: 'postgres://u:p%40ss@h:5432/db?sslmode=require',
      schema: 'shop',
      poolSize: 4,
    });
    expect(
      transportOptions('nats://ada:pw@a:4222,b:4222?subjectPrefix=shop&retention=interest&partitions=64'),
    ).toEqual({
      servers: ['nats://a:4222', 'nats://b:4222'],
      user: 'ada',
      pass: 'pw',
      subjectPrefix: 'shop',
      stream: { retention: 'interest', partitions: 64 },
    });
    expect(transportOptions('nats://t0ken@a:4222')).toMatchObject({ token: 't0ken' });
    expect(transportOptions('kafka://ada:pw@a:9092,b:9092?sasl=scram-sha-256&partitions=6')).toEqual({
      brokers: ['a:9092', 'b:9092'],
      sasl: { mechanism: 'scram-sha-256', username: 'ada', password: 'pw' },
      topology: { partitions: 6 },
    });
    expect(transportOptions('sqs://key:secret@us-east-1?endpoint=http://127.0.0.1:4566&fifo=true')).toEqual({
      region: 'us-east-1',
      endpoint: 'http://127.0.0.1:4566',
      fifo: true,
      credentials: { accessKeyId: 'key', secretAccessKey: 'secret' },
    });
  });

  it('lay the code’s options over the URL’s, merging nested objects', async () => {
    const opened: Record<string, unknown>[] = [];
    const loader: ModuleLoader = async () => ({
      createNatsTransport: (options: Record<string, unknown>) => opened.push(options),
    });
    const resolved = resolveAdapter(TRANSPORT_ADAPTERS, 'nats://a:4222?storage=memory', 'transport');
    await openAdapter(resolved, { stream: { replicas: 3 }, name: 'orders' }, loader);
    expect(opened).toEqual([
      { servers: ['nats://a:4222'], stream: { storage: 'memory', replicas: 3 }, name: 'orders' },
    ]);
  });

  it('tell which package to install when the adapter’s is missing, loading it only when named', async () => {
    const imported: string[] = [];
    const missing: ModuleLoader = async (specifier) => {
      imported.push(specifier);
      throw Object.assign(new Error(`Cannot find package '${specifier}' imported from /app`), {
        code: 'ERR_MODULE_NOT_FOUND',
      });
    };
    const resolved = resolveAdapter(TRANSPORT_ADAPTERS, 'kafka://h:9092', 'EVENTLOOM_TRANSPORT');
    expect(imported).toEqual([]);
    const opening = openAdapter(resolved, undefined, missing);
    await expect(opening).rejects.toThrow(AdapterNotInstalledError);
    await expect(opening).rejects.toThrow('run `npm install @eventloom/transport-kafka`');
    await expect(opening).rejects.toMatchObject({ packageName: '@eventloom/transport-kafka' });
    expect(imported[0]).toBe('@eventloom/transport-kafka');
  });

  it('finds a genuinely missing package through the default import', async () => {
    const open = fromPackage('@eventloom/no-such-adapter', 'create');
    const url = parseConfigUrl('nats://h:4222', 'transport');
    await expect(open({}, importFromCore, url)).rejects.toThrow('npm install @eventloom/no-such-adapter');
  });

  it('pass on a missing dependency of the adapter itself, and name a missing factory', async () => {
    const brokenDependency: ModuleLoader = async () => {
      throw Object.assign(
        new Error("Cannot find package 'kafkajs' imported from /x/transport-kafka/dist/a.js"),
        {
          code: 'ERR_MODULE_NOT_FOUND',
        },
      );
    };
    const resolved = resolveAdapter(TRANSPORT_ADAPTERS, 'kafka://h:9092', 'transport');
    await expect(openAdapter(resolved, undefined, brokenDependency)).rejects.toThrow("'kafkajs'");
    await expect(openAdapter(resolved, undefined, async () => ({}))).rejects.toThrow(
      'does not export createKafkaTransport',
    );
  });

  it('report the adapter’s own validation as a ConfigError naming the field and the URL', async () => {
    const refusing: ModuleLoader = async () => ({
      createKafkaTransport: () => {
        throw new InvalidInputError('kafka.brokers[0]', 'must be host:port, got h');
      },
    });
    const resolved = resolveAdapter(TRANSPORT_ADAPTERS, 'kafka://h', 'EVENTLOOM_TRANSPORT');
    const opening = openAdapter(resolved, undefined, refusing);
    await expect(opening).rejects.toThrow(ConfigError);
    await expect(opening).rejects.toThrow(
      'EVENTLOOM_TRANSPORT: kafka.brokers[0]: must be host:port, got h (got "kafka://h")',
    );
  });
});
