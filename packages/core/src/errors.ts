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
