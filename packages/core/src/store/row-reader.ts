import type { JsonValue } from '../envelope/json.js';
import { CorruptDataError } from '../errors.js';

export function parseJson(text: string, where: string | (() => string)): JsonValue {
  try {
    return JSON.parse(text) as JsonValue;
  } catch (error) {
    const named = typeof where === 'string' ? where : where();
    throw new CorruptDataError(named, `unparseable JSON (${(error as Error).message})`, { cause: error });
  }
}

/**
 * Reads typed fields of one stored row, naming the row in every complaint. The name may be
 * given as a function: it is only worked out for a complaint, not for every row read.
 */
export class FieldReader {
  private readonly fields: Readonly<Record<string, unknown>>;
  private named: string | (() => string);

  constructor(fields: object, where: string | (() => string)) {
    this.fields = fields as Readonly<Record<string, unknown>>;
    this.named = where;
  }

  get where(): string {
    if (typeof this.named !== 'string') this.named = this.named();
    return this.named;
  }

  text(name: string): string {
    const value = this.fields[name];
    if (typeof value !== 'string' || value.length === 0) throw this.corrupt(name, 'a non-empty string');
    return value;
  }

  optionalText(name: string): string | undefined {
    const value = this.fields[name];
    if (value === null || value === undefined) return undefined;
    if (typeof value !== 'string') throw this.corrupt(name, 'a string or null');
    return value;
  }

  whole(name: string): number {
    const value = this.fields[name];
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
      throw this.corrupt(name, 'an integer ≥ 0');
    }
    return value;
  }

  positive(name: string): number {
    const value = this.whole(name);
    if (value === 0) throw this.corrupt(name, 'an integer ≥ 1');
    return value;
  }

  json(name: string): JsonValue {
    return parseJson(this.text(name), () => `${this.where}, column ${name}`);
  }

  optionalJson(name: string): JsonValue | undefined {
    const text = this.optionalText(name);
    return text === undefined ? undefined : parseJson(text, () => `${this.where}, column ${name}`);
  }

  private corrupt(name: string, wanted: string): CorruptDataError {
    return new CorruptDataError(
      this.where,
      `${name} is ${JSON.stringify(this.fields[name]) ?? 'undefined'}, not ${wanted}`,
    );
  }
}
