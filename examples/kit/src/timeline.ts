import type {
  AnySaga,
  ConsumerObserver,
  Envelope,
  RelayObserver,
  SagaHistoryEntry,
  SagaQueries,
  TimerPayload,
} from '@eventloom/core';

export type Write = (line: string) => void;

/** Message ids already written, so each message appears once (bounded, for long-running services). */
const REMEMBERED_IDS = 10_000;

/**
 * A readable log of a run: each message (type, id, correlation id, causation id, subject) and
 * each change a saga made, read back from its history once committed. A message appears when the
 * relay publishes it or, if sooner, just before the saga change it caused; lines keep the order
 * in which they were observed.
 */
export class Timeline {
  private readonly startedAt = performance.now();
  private readonly written = new Set<string>();
  private printing: Promise<void> = Promise.resolve();
  private queries: SagaQueries | undefined;

  constructor(
    private readonly sagas: readonly AnySaga[],
    private readonly write: Write = (line) => console.log(line),
  ) {}

  /** Where saga changes are read from; call once the app exists. */
  watch(queries: SagaQueries): void {
    this.queries = queries;
  }

  readonly relayObserver: RelayObserver = {
    published: (rows) => {
      for (const { envelope } of rows) this.printMessage(envelope);
    },
  };

  readonly consumerObserver: ConsumerObserver = {
    handled: (message, consumer) => {
      const saga = this.sagas.find((candidate) => candidate.consumer === consumer);
      if (saga === undefined) return;
      this.printMessage(message);
      this.print(async (at) => this.sagaLine(at, saga, message));
    },
    failed: (message, error, attempt) => {
      const reason = error instanceof Error ? error.message : String(error);
      this.print(async (at) => `${at}    ! ${message.type} failed (attempt ${attempt}): ${reason}`);
    },
  };

  /** Resolves once every line observed so far is written. */
  flushed(): Promise<void> {
    return this.printing;
  }

  private printMessage(message: Envelope): void {
    if (this.written.has(message.id)) return;
    this.written.add(message.id);
    if (this.written.size > REMEMBERED_IDS) this.written.delete(this.written.values().next().value!);
    this.print(async (at) => messageLine(at, message));
  }

  /** Queues a line stamped with the time it was observed; `build` may read the store meanwhile. */
  private print(build: (at: string) => Promise<string | undefined>): void {
    const at = `+${((performance.now() - this.startedAt) / 1000).toFixed(3)}s`.padStart(9);
    const ready = build(at).catch((error: unknown) => `${at}    (timeline: ${String(error)})`);
    this.printing = this.printing.then(async () => {
      const text = await ready;
      if (text !== undefined) this.write(text);
    });
  }

  private async sagaLine(at: string, saga: AnySaga, message: Envelope): Promise<string | undefined> {
    const sagaId = sagaIdOf(saga, message);
    if (sagaId === undefined || this.queries === undefined) return undefined;
    const entry = (await this.queries.get(saga, sagaId))?.history.find(
      (candidate: SagaHistoryEntry) => candidate.messageId === message.id,
    );
    if (entry === undefined) return undefined;
    const change = entry.note === undefined || entry.note === '' ? entry.outcome : entry.note;
    return `${at}    ↳ saga ${saga.name} ${sagaId} [${entry.status}] ${change}`;
  }
}

function messageLine(at: string, message: Envelope): string {
  const timer = timerName(message);
  const ids = `id ${short(message.id)}  corr ${short(message.correlationid)}  cause ${short(message.causationid)}`;
  return `${at}  ${message.type.padEnd(34)} ${ids}  ${message.subject ?? ''}${timer === undefined ? '' : ` (timer ${timer})`}`;
}

function sagaIdOf(saga: AnySaga, message: Envelope): string | undefined {
  if (message.type === saga.timeoutType) return (message.data as unknown as TimerPayload).sagaId;
  return saga.definition.correlate(message as never);
}

function timerName(message: Envelope): string | undefined {
  if (!message.type.startsWith('eventloom.saga-timeout.')) return undefined;
  return (message.data as unknown as TimerPayload).name;
}

/** The random end of an id: enough to tell the messages of one run apart. */
function short(id: string | undefined): string {
  return id === undefined ? '-'.padEnd(8) : id.slice(-8);
}
