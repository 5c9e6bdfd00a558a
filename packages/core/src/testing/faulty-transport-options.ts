import { InvalidInputError } from '../errors.js';

/** Chances (0…1) of each fault; every fault is bounded per message so every message gets through. */
export interface FaultOptions {
  /** Decides every fault; pass `seededRandom(seed)` for a reproducible run. */
  readonly random: () => number;
  /** A delivery that was handled is handed to the handler once more. */
  readonly duplicateDelivery?: number;
  /** The handler's ack (explicit or by resolving) is lost, so the message comes back. */
  readonly dropAck?: number;
  /** The handler starts after a delay of up to `maxDelayMs`, reordering messages across keys. */
  readonly delayDelivery?: number;
  readonly maxDelayMs?: number;
  /** The broker accepted the batch but `publish` rejects, so the publisher retries and duplicates. */
  readonly publishFailsAfterAccept?: number;
  /** `publish` rejects before the broker saw anything. */
  readonly publishFailsBeforeAccept?: number;
  /** `crashPoint` throws a SimulatedCrash. */
  readonly crash?: number;
  /** Most faults injected for one message id (or batch); 2 by default, below the default maxDeliveries. */
  readonly maxFaultsPerMessage?: number;
}

export type FaultKind =
  | 'duplicateDelivery'
  | 'dropAck'
  | 'delayDelivery'
  | 'publishFailsAfterAccept'
  | 'publishFailsBeforeAccept'
  | 'crash';

const FAULT_KINDS: readonly FaultKind[] = [
  'duplicateDelivery',
  'dropAck',
  'delayDelivery',
  'publishFailsAfterAccept',
  'publishFailsBeforeAccept',
  'crash',
];

/** How many message ids the per-message fault budget remembers before forgetting the oldest. */
const REMEMBERED_MESSAGES = 100_000;

/** Draws faults from `random`, at most `maxFaultsPerMessage` per message. */
export class FaultPlan {
  readonly stats: Record<FaultKind, number> = {
    duplicateDelivery: 0,
    dropAck: 0,
    delayDelivery: 0,
    publishFailsAfterAccept: 0,
    publishFailsBeforeAccept: 0,
    crash: 0,
  };
  private readonly faultsOf = new Map<string, number>();
  private readonly maxFaults: number;

  constructor(private readonly options: FaultOptions) {
    for (const kind of FAULT_KINDS) {
      const chance = options[kind] ?? 0;
      if (!(chance >= 0 && chance <= 1))
        throw new InvalidInputError(`faults.${kind}`, `must be in [0, 1], got ${chance}`);
    }
    this.maxFaults = options.maxFaultsPerMessage ?? 2;
    if (!Number.isSafeInteger(this.maxFaults) || this.maxFaults < 0) {
      throw new InvalidInputError(
        'faults.maxFaultsPerMessage',
        `must be an integer ≥ 0, got ${this.maxFaults}`,
      );
    }
  }

  /** Whether to inject `kind` now for `messageId`; counts it against the message's budget. */
  strikes(kind: FaultKind, messageId: string): boolean {
    const chance = this.options[kind] ?? 0;
    if (chance === 0 || this.options.random() >= chance) return false;
    const used = this.faultsOf.get(messageId) ?? 0;
    if (used >= this.maxFaults) return false;
    this.remember(messageId, used + 1);
    this.stats[kind] += 1;
    return true;
  }

  delayMs(): number {
    return Math.floor(this.options.random() * (this.options.maxDelayMs ?? 20));
  }

  private remember(messageId: string, faults: number): void {
    this.faultsOf.delete(messageId);
    this.faultsOf.set(messageId, faults);
    if (this.faultsOf.size > REMEMBERED_MESSAGES) {
      const oldest = this.faultsOf.keys().next().value;
      if (oldest !== undefined) this.faultsOf.delete(oldest);
    }
  }
}

/** A small, fast, seeded generator (mulberry32) in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
