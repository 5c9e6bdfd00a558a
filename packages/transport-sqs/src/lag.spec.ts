import type { AddressInfo, Socket } from 'node:net';
import { createServer } from 'node:net';
import { TransportError } from '@eventloom/core';
import { expect, it } from 'vitest';
import { createSqsTransport } from './transport.js';

const CALL_TIMEOUT_MS = 500;

it('fails with a TransportError within the call timeout when the endpoint accepts and never answers', async () => {
  const sockets = new Set<Socket>();
  const silent = createServer((socket) => sockets.add(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const { port } = silent.address() as AddressInfo;
  const transport = createSqsTransport({
    region: 'us-east-1',
    endpoint: `http://127.0.0.1:${port}`,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    callTimeoutMs: CALL_TIMEOUT_MS,
  });
  try {
    const started = Date.now();
    await expect(transport.consumerLag('billing')).rejects.toBeInstanceOf(TransportError);
    expect(Date.now() - started).toBeLessThan(CALL_TIMEOUT_MS + 1_000);
  } finally {
    await transport.close();
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
  }
});
