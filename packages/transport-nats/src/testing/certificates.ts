import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const openssl = (folder: string, ...args: string[]) => promisify(execFile)('openssl', args, { cwd: folder });

export interface TestCertificates {
  readonly folder: string;
  /** Paths of PEM files: a CA, a server certificate for 127.0.0.1 (and localhost) and a client certificate. */
  readonly ca: string;
  readonly serverCert: string;
  readonly serverKey: string;
  readonly clientCert: string;
  readonly clientKey: string;
  remove(): Promise<void>;
}

/** A throwaway CA signing a server certificate (127.0.0.1, localhost) and a client one, valid for a day. */
export async function createTestCertificates(): Promise<TestCertificates> {
  const folder = await mkdtemp(join(tmpdir(), 'eventloom-certs-'));
  const sign = async (name: string, subject: string, extension: string) => {
    await openssl(
      folder,
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.csr`,
      '-subj',
      subject,
    );
    await writeFile(join(folder, `${name}.ext`), `${extension}\n`);
    await openssl(
      folder,
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      `${name}.crt`,
      '-days',
      '1',
      '-extfile',
      `${name}.ext`,
    );
  };
  await openssl(
    folder,
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
    '-days',
    '1',
    '-subj',
    '/CN=eventloom-test-ca',
  );
  await sign('server', '/CN=127.0.0.1', 'subjectAltName=IP:127.0.0.1,DNS:localhost');
  await sign('client', '/CN=eventloom-client', 'extendedKeyUsage=clientAuth');
  const path = (file: string) => join(folder, file);
  return {
    folder,
    ca: path('ca.crt'),
    serverCert: path('server.crt'),
    serverKey: path('server.key'),
    clientCert: path('client.crt'),
    clientKey: path('client.key'),
    remove: () => rm(folder, { recursive: true, force: true }),
  };
}
