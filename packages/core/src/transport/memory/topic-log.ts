/** A message as the memory broker keeps it: encoded bytes, as on a real broker. */
export interface LogMessage {
  readonly offset: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
  /** Partition key read from the headers; undefined for bytes without one (never blocks a key). */
  readonly key: string | undefined;
}

/** An append-only log that keeps at most `maxMessages`, dropping the oldest beyond that. */
export class TopicLog {
  private messages: LogMessage[] = [];
  /** Index in `messages` of the oldest retained message; compacted lazily. */
  private head = 0;
  private compacted = 0;

  constructor(private readonly maxMessages: number) {}

  /** Offset of the oldest retained message. */
  get firstOffset(): number {
    return this.compacted + this.head;
  }

  /** Offset the next appended message will get. */
  get endOffset(): number {
    return this.compacted + this.messages.length;
  }

  append(message: Omit<LogMessage, 'offset'>): void {
    const { headers, body, key } = message;
    this.messages.push({ offset: this.endOffset, headers, body, key });
    if (this.endOffset - this.firstOffset > this.maxMessages) this.head += 1;
    if (this.head > 1024 && this.head * 2 > this.messages.length) this.compact();
  }

  at(offset: number): LogMessage | undefined {
    return offset < this.firstOffset ? undefined : this.messages[offset - this.compacted];
  }

  private compact(): void {
    this.messages = this.messages.slice(this.head);
    this.compacted += this.head;
    this.head = 0;
  }
}
