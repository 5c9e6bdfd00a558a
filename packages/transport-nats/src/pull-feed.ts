import { TransportError, withTimeout } from '@eventloom/core';
import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import { createInbox, nanos } from '@nats-io/transport-node';
import type { Reconnects } from './connection.js';

const PENDING_MESSAGES = 'Nats-Pending-Messages';
const HEARTBEAT = 100;
/** Statuses that end a pull request and hand its unused credit back: no messages, expired, limits. */
const CREDIT_RETURNED = new Set([404, 408, 409]);
/** How long past its expiry a request may stay unanswered before it counts as lost (a server restart). */
const LOST_REQUEST_GRACE_MS = 2_000;
const DRAIN_TIMEOUT_MS = 2_000;

/**
 * Pulls from one durable consumer with the engine's credit: it never has more messages asked for
 * than the engine may take, so nothing sits in a client buffer with its ack timer running. Pull
 * requests answer on a private inbox; the server's status replies return unused credit.
 */
export class PullFeed {
  private readonly inbox = createInbox();
  private readonly subscription: Subscription;
  private readonly stopListening: () => void;
  private readonly arrived: Msg[] = [];
  /** Messages asked for and neither delivered nor given back by the server. */
  private outstanding = 0;
  private askedAt = 0;
  private failure: TransportError | undefined;
  private wakeUp: (() => void) | undefined;
  private closed = false;

  constructor(
    private readonly nc: NatsConnection,
    private readonly nextSubject: string,
    private readonly expiresMs: number,
    reconnects: Reconnects,
  ) {
    this.subscription = nc.subscribe(this.inbox, { callback: (error, msg) => this.onMessage(error, msg) });
    // A reconnect loses every waiting pull request on the server's side.
    this.stopListening = reconnects.listen(() => {
      this.outstanding = 0;
      this.wake();
    });
  }

  /** Up to `max` messages; waits for at least one, or returns `[]` once `signal` aborts. */
  async next(max: number, signal: AbortSignal): Promise<Msg[]> {
    for (;;) {
      if (this.arrived.length > 0) return this.arrived.splice(0, max);
      if (signal.aborted || this.closed) return [];
      this.throwFailure();
      this.ask(max);
      await this.change(signal, this.expiresMs + LOST_REQUEST_GRACE_MS);
      if (Date.now() - this.askedAt > this.expiresMs + LOST_REQUEST_GRACE_MS) this.outstanding = 0;
    }
  }

  /**
   * Stops pulling and returns what arrived and was never handed out, for the caller to give back.
   * Draining the inbox catches what the server sent before it learnt the inbox was gone, which
   * would otherwise come back only after the ack wait, behind later messages of its key.
   */
  async close(): Promise<Msg[]> {
    this.closed = true;
    this.stopListening();
    this.wake();
    await withTimeout(this.subscription.drain(), DRAIN_TIMEOUT_MS, 'draining a pull inbox').catch(() =>
      this.subscription.unsubscribe(),
    );
    return this.arrived.splice(0);
  }

  /** Tops the credit up to `max` once half of it is used, so a busy member sends few requests. */
  private ask(max: number): void {
    if (this.outstanding > max / 2) return;
    const batch = max - this.outstanding;
    this.outstanding = max;
    this.askedAt = Date.now();
    const request = JSON.stringify({ batch, expires: nanos(this.expiresMs) });
    this.nc.publish(this.nextSubject, request, { reply: this.inbox });
  }

  private onMessage(error: Error | null, msg: Msg): void {
    if (error !== null) {
      this.fail(
        new TransportError(`pulling from '${this.nextSubject}' failed: ${error.message}`, { cause: error }),
      );
    } else if (msg.reply !== undefined && msg.reply.length > 0) {
      this.arrived.push(msg);
      this.outstanding = Math.max(0, this.outstanding - 1);
    } else {
      this.onStatus(msg);
    }
    this.wake();
  }

  private onStatus(msg: Msg): void {
    const code = msg.headers?.code ?? 0;
    if (code === HEARTBEAT) return;
    const pending = Number(msg.headers?.get(PENDING_MESSAGES));
    this.outstanding = pending > 0 ? Math.max(0, this.outstanding - pending) : 0;
    if (!CREDIT_RETURNED.has(code) || /deleted/iu.test(msg.headers?.description ?? '')) {
      const status = `${code} ${msg.headers?.description ?? ''}`.trim();
      this.fail(new TransportError(`pulling from '${this.nextSubject}': the server answered ${status}`));
    }
  }

  private fail(error: TransportError): void {
    this.outstanding = 0;
    this.failure = error;
  }

  /** Hands a failure to the engine once, which reports it and backs off before pulling again. */
  private throwFailure(): void {
    const failure = this.failure;
    this.failure = undefined;
    if (failure !== undefined) throw failure;
  }

  private change(signal: AbortSignal, timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        this.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      signal.addEventListener('abort', done, { once: true });
      this.wakeUp = done;
    });
  }

  private wake(): void {
    this.wakeUp?.();
  }
}
