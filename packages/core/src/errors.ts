/** Base of every error Eventloom throws: bugs and infrastructure faults, never domain rejections. */
export class EventloomError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Input that can never succeed as given: the message names the field and the problem. */
export class InvalidInputError extends EventloomError {
  readonly field: string;
  constructor(field: string, problem: string, options?: { cause?: unknown }) {
    super('invalid-input', `${field}: ${problem}`, options);
    this.field = field;
  }
}

export class NotSerializableError extends EventloomError {
  readonly path: string;
  constructor(path: string, problem: string) {
    super('not-serializable', `data at ${path} does not survive a JSON round-trip: ${problem}`);
    this.path = path;
  }
}

export class PayloadTooLargeError extends EventloomError {
  readonly sizeBytes: number;
  readonly limitBytes: number;
  constructor(what: string, sizeBytes: number, limitBytes: number) {
    super('payload-too-large', `${what} is ${sizeBytes} bytes, over the limit of ${limitBytes} bytes`);
    this.sizeBytes = sizeBytes;
    this.limitBytes = limitBytes;
  }
}

export class UnknownEventTypeError extends EventloomError {
  readonly eventType: string;
  constructor(eventType: string, where: string) {
    super('unknown-event-type', `unknown event type '${eventType}' in ${where}`);
    this.eventType = eventType;
  }
}

/** The stream was not at the version the writer expected; the whole unit of work was rolled back. */
export class ConcurrencyError extends EventloomError {
  readonly streamId: string;
  readonly expected: string;
  readonly actual: number;
  constructor(streamId: string, expected: string, actual: number) {
    super(
      'concurrency-conflict',
      `stream '${streamId}' is at version ${actual}, expected ${expected}; nothing was written`,
    );
    this.streamId = streamId;
    this.expected = expected;
    this.actual = actual;
  }
}

/** A stored row that cannot be decoded: the store is damaged or was written by something else. */
export class CorruptDataError extends EventloomError {
  constructor(where: string, problem: string, options?: { cause?: unknown }) {
    super('corrupt-data', `corrupt data in ${where}: ${problem}`, options);
  }
}

/** The store could not do what was asked (connection lost, disk full, closed store). */
export class StoreError extends EventloomError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('store-failure', message, options);
  }
}

export class StoreClosedError extends EventloomError {
  constructor(store: string) {
    super('store-closed', `the ${store} store is closed`);
  }
}

/** Bytes on a topic that are not an envelope: dead-lettered at once, never handed to a handler. */
export class PoisonMessageError extends EventloomError {
  readonly problem: string;
  constructor(problem: string, options?: { cause?: unknown }) {
    super('poison-message', `undecodable message: ${problem}`, options);
    this.problem = problem;
  }
}

/** An encoded message over the transport's limit; raised before anything of its batch is sent. */
export class MessageTooLargeError extends PayloadTooLargeError {
  readonly topic: string;
  constructor(topic: string, messageId: string, sizeBytes: number, limitBytes: number) {
    super(`message '${messageId}' for topic '${topic}'`, sizeBytes, limitBytes);
    this.topic = topic;
  }
}

/** The broker did not accept or answer (unreachable, refused, timed out); the caller may retry. */
export class TransportError extends EventloomError {
  constructor(message: string, options?: { cause?: unknown; code?: string }) {
    super(options?.code ?? 'transport-failure', message, options);
  }
}

/** The broker did not answer within the configured time. */
export class TransportTimeoutError extends TransportError {
  readonly timeoutMs: number;
  constructor(what: string, timeoutMs: number) {
    super(`${what} got no answer from the broker within ${timeoutMs} ms`, { code: 'transport-timeout' });
    this.timeoutMs = timeoutMs;
  }
}

export class TransportClosedError extends EventloomError {
  constructor(transport: string) {
    super('transport-closed', `the ${transport} transport is closed`);
  }
}

/**
 * The database undid the transaction to break a deadlock or a serialization conflict with a
 * concurrent one (PostgreSQL SQLSTATE 40P01, 40001): nothing of it was written, and running it
 * again may succeed. The command executor retries it like a ConcurrencyError.
 */
export class TransactionConflictError extends StoreError {
  override readonly code = 'transaction-conflict';
}
