import type { LeaseManager } from '../store/contract.js';

/**
 * Holds a named store lease for one owner. It talks to the store at most once per third of
 * the ttl (renewing while held, retrying while another owner holds it), so a busy loop does
 * not write the lease every round; a crashed holder's lease simply expires.
 */
export class LeaseKeeper {
  private heldUntil = 0;
  private nextAttemptAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly leases: LeaseManager,
    readonly name: string,
    readonly owner: string,
    private readonly ttlMs: number,
    private readonly monotonicNow: () => number = () => performance.now(),
  ) {}

  /**
   * True while this owner holds the lease; takes or renews it when due. `retryNow` asks the
   * store again at once when the lease was not held (an explicit call, not a loop's round).
   */
  async hold(retryNow = false): Promise<boolean> {
    const now = this.monotonicNow();
    const held = now < this.heldUntil;
    if (now < this.nextAttemptAt && (held || !retryNow)) return held;
    const acquired = await this.leases.acquireLease(this.name, this.owner, this.ttlMs);
    this.nextAttemptAt = now + this.ttlMs / 3;
    this.heldUntil = acquired ? now + this.ttlMs : 0;
    return acquired;
  }

  get held(): boolean {
    return this.monotonicNow() < this.heldUntil;
  }

  /** Milliseconds until `hold()` will next talk to the store. */
  nextAttemptInMs(): number {
    return Math.max(0, this.nextAttemptAt - this.monotonicNow());
  }

  async release(): Promise<void> {
    const wasHeld = this.heldUntil > 0;
    this.heldUntil = 0;
    this.nextAttemptAt = Number.NEGATIVE_INFINITY;
    if (wasHeld) await this.leases.releaseLease(this.name, this.owner);
  }
}
