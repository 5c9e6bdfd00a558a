import { sleep } from '../../common/backoff.js';
import type { HeldMessage } from './held-message.js';

/**
 * Extends the leases of messages the engine holds outside a handler (queued behind their key or
 * waiting to be retried), so the broker does not hand them to another member meanwhile. A
 * running handler's time counts against the ack timeout; it calls `extend()` itself if slow.
 */
export class LeaseKeeper {
  private readonly parked = new Set<HeldMessage>();
  private readonly timer: NodeJS.Timeout;

  constructor(extendEveryMs: number) {
    this.timer = setInterval(() => this.extendParked(), Math.max(1, extendEveryMs));
    this.timer.unref();
  }

  park(message: HeldMessage): void {
    this.parked.add(message);
  }

  unpark(message: HeldMessage): void {
    this.parked.delete(message);
  }

  /** Holds `message` parked for `delayMs`, or until `signal` aborts. */
  async hold(message: HeldMessage, delayMs: number, signal: AbortSignal): Promise<void> {
    this.park(message);
    try {
      await sleep(delayMs, signal);
    } finally {
      this.unpark(message);
    }
  }

  stop(): void {
    clearInterval(this.timer);
    this.parked.clear();
  }

  private extendParked(): void {
    for (const message of this.parked) void message.extend();
  }
}
