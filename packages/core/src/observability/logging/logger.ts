/** Fields of one log line. */
export type LogFields = Readonly<Record<string, unknown>>;

/**
 * The logger Eventloom writes to: pino's shape (`logger.info(fields, message)`, `child(bindings)`),
 * so a pino logger fits as it is, and anything else takes a few lines of adapter.
 */
export interface Logger {
  debug(fields: LogFields, message?: string): void;
  info(fields: LogFields, message?: string): void;
  warn(fields: LogFields, message?: string): void;
  error(fields: LogFields, message?: string): void;
  child(bindings: LogFields): Logger;
}

const ignore = (): void => {};

/** Writes nothing: the default. */
export const silentLogger: Logger = {
  debug: ignore,
  info: ignore,
  warn: ignore,
  error: ignore,
  child: () => silentLogger,
};
