import pg from 'pg';

const RECONNECT_DELAY_MS = 1000;

/**
 * Holds one connection of its own, outside the pool, that LISTENs on the outbox channel and
 * calls `onNotice` when another process commits outbox rows (this store's own commits are
 * announced in-process). A lost connection is replaced after a pause; the relay's polling
 * covers the gap, and a wake-up after reconnecting looks for what was missed.
 */
export class OutboxListener {
  private client: pg.Client | undefined;
  private stopped = false;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private connecting: Promise<void> | undefined;
  private connectedBefore = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly channel: string,
    private readonly sender: string,
    private readonly onNotice: () => void,
  ) {}

  start(): void {
    this.stopped = false;
    if (this.client === undefined) this.connecting ??= this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    await this.connecting;
    this.drop();
  }

  private async connect(): Promise<void> {
    try {
      const client = new pg.Client(this.pool.options);
      client.on('error', () => this.lost(client));
      client.on('end', () => this.lost(client));
      this.client = client;
      await client.connect();
      client.on('notification', (message) => {
        if (message.channel === this.channel && message.payload !== this.sender) this.onNotice();
      });
      await client.query(`LISTEN "${this.channel}"`);
      if (this.connectedBefore) this.onNotice();
      this.connectedBefore = true;
    } catch {
      this.lost(this.client);
    } finally {
      this.connecting = undefined;
    }
    if (this.stopped) this.drop();
  }

  private lost(client: pg.Client | undefined): void {
    if (client !== this.client) return;
    this.drop();
    if (this.stopped) return;
    this.reconnectTimer = setTimeout(() => this.start(), RECONNECT_DELAY_MS);
    this.reconnectTimer.unref();
  }

  private drop(): void {
    const client = this.client;
    this.client = undefined;
    if (client === undefined) return;
    client.removeAllListeners('notification');
    client.end().catch(() => undefined);
  }
}
