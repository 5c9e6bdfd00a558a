import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './nats.js';

export interface NatsServerProcess {
  readonly url: string;
  readonly port: number;
  /** Kills the server and removes its JetStream folder. */
  stop(): Promise<void>;
}

/**
 * A second nats-server, the binary scripts/services.sh built, on a free loopback port with
 * JetStream in a temporary folder; `args` adds options such as `--auth <token>`.
 */
export async function startNatsServer(args: readonly string[] = []): Promise<NatsServerProcess> {
  const binary = join(repoRoot, '.services/bin/nats-server');
  if (!existsSync(binary))
    throw new Error(`${binary} is missing: run \`bash scripts/services.sh up nats\` first`);
  const port = await freePort();
  const folder = await mkdtemp(join(tmpdir(), 'eventloom-nats-'));
  const child = spawn(binary, ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', folder, ...args], {
    stdio: 'ignore',
  });
  const stop = async () => {
    await kill(child);
    await rm(folder, { recursive: true, force: true });
  };
  try {
    await untilListening(port, 10_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `nats://127.0.0.1:${port}`, port, stop };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address !== null ? resolve(address.port) : reject(),
      );
    });
  });
}

async function untilListening(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await accepts(port))) {
    if (Date.now() > deadline)
      throw new Error(`nats-server did not listen on port ${port} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}
