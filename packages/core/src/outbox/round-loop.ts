import { type BackoffOptions, fullJitterDelay } from '../common/backoff.js';
import { notify } from '../common/notify.js';
import { EventloomError } from '../errors.js';
import type { OutboxSource } from '../store/contract.js';
import { Wakeup } from './wakeup.js';

export interface RoundLoopConfig {
  readonly store: Pick<OutboxSource, 'onOutboxCommit'>;
  /** One round of work; returns how long to sleep before the next one (0: more now). */
  readonly round: () => Promise<number>;
  readonly retryBackoff: BackoffOptions;
  readonly failed: ((error: unknown, attempt: number) => void) | undefined;
  /** Thrown by `start` once stopped. */
  readonly stopped: { readonly code: string; readonly message: string };
  /** Runs once, after the last round: `started` says whether the loop ever ran. */
  readonly windDown: (started: boolean) => Promise<void>;
}

/**
 * The background loop a lease holder runs (the outbox relay, an async projection): rounds woken
 * by each in-process commit or after their own idle time, with full-jitter backoff after a
 * failure, and a stop that ends the round in progress before the owner winds down.
 */
export class RoundLoop {
  private readonly wakeup = new Wakeup();
  private readonly stopSignal = new AbortController();
  private loop: Promise<void> | undefined;
  private stopping: Promise<void> | undefined;
  private unsubscribe: (() => void) | undefined;
  private failures = 0;

  constructor(private readonly config: RoundLoopConfig) {}

  start(): void {
    const { code, message } = this.config.stopped;
    if (this.stopSignal.signal.aborted) throw new EventloomError(code, message);
    if (this.loop !== undefined) return;
    this.unsubscribe = this.config.store.onOutboxCommit(() => this.wakeup.notify());
    this.loop = this.run();
  }

  stop(): Promise<void> {
    this.stopping ??= this.shutDown();
    return this.stopping;
  }

  private async shutDown(): Promise<void> {
    this.stopSignal.abort();
    this.wakeup.notify();
    this.unsubscribe?.();
    const started = this.loop !== undefined;
    await this.loop;
    await this.config.windDown(started);
  }

  private async run(): Promise<void> {
    while (!this.stopSignal.signal.aborted) {
      const idleMs = await this.roundOrBackoff();
      await this.wakeup.wait(idleMs, this.stopSignal.signal);
    }
  }

  /** One round; on failure, the full-jitter delay before the next one. */
  private async roundOrBackoff(): Promise<number> {
    try {
      const idleMs = await this.config.round();
      this.failures = 0;
      return idleMs;
    } catch (error) {
      this.failures += 1;
      notify(this.config.failed, error, this.failures);
      return fullJitterDelay(this.failures, this.config.retryBackoff);
    }
  }
}
