import { EventloomError, InvalidInputError } from '../errors.js';

/** A configuration value that cannot work: names the field (option or variable) and the value. */
export class ConfigError extends InvalidInputError {
  readonly value: string;
  constructor(field: string, value: string, problem: string, options?: { cause?: unknown }) {
    super(field, `${problem} (got ${JSON.stringify(value)})`, options);
    this.value = value;
  }
}

/** A URL names an adapter whose package is not installed next to @eventloom/core. */
export class AdapterNotInstalledError extends EventloomError {
  readonly packageName: string;
  constructor(field: string, value: string, packageName: string, options?: { cause?: unknown }) {
    super(
      'adapter-not-installed',
      `${field}=${value} needs the package ${packageName}, which is not installed: run \`npm install ${packageName}\``,
      options,
    );
    this.packageName = packageName;
  }
}
