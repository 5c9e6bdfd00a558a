import { NotSerializableError } from '../errors.js';

export type JsonValue =
  | null
  | boolean
  | number
  | string
  | readonly JsonValue[]
  | { readonly [key: string]: JsonValue };

/**
 * Proves `value` comes back unchanged from JSON.stringify/parse, naming the first path that
 * would not: functions, symbols, undefined in arrays, BigInt, NaN/Infinity, cycles, class
 * instances other than plain objects and arrays (Date, Map, Set…).
 */
export function assertJsonSafe(value: unknown, path = '$'): void {
  walk(value, path, new Set());
}

function walk(value: unknown, path: string, ancestors: Set<object>): void {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return;
    case 'number':
      if (!Number.isFinite(value)) throw new NotSerializableError(path, `${value} is not a finite number`);
      return;
    case 'bigint':
      throw new NotSerializableError(path, 'BigInt is not JSON');
    case 'function':
      throw new NotSerializableError(path, 'functions are not JSON');
    case 'symbol':
      throw new NotSerializableError(path, 'symbols are not JSON');
    case 'undefined':
      throw new NotSerializableError(path, 'undefined is not JSON');
  }
  if (value === null) return;
  const object = value as object;
  if (ancestors.has(object)) throw new NotSerializableError(path, 'cyclic reference');
  ancestors.add(object);
  if (Array.isArray(object)) {
    for (const [index, item] of object.entries()) walk(item, `${path}[${index}]`, ancestors);
  } else {
    const proto = Object.getPrototypeOf(object);
    if (proto !== Object.prototype && proto !== null) {
      throw new NotSerializableError(
        path,
        `${proto?.constructor?.name ?? 'class'} instance is not a plain object`,
      );
    }
    for (const [key, child] of Object.entries(object)) {
      if (child === undefined) continue;
      walk(child, `${path}.${key}`, ancestors);
    }
  }
  ancestors.delete(object);
}

/** Serialises data already proven JSON-safe; returns the text and its UTF-8 size. */
export function toJson(value: unknown, path = '$'): { text: string; bytes: number } {
  assertJsonSafe(value, path);
  const text = JSON.stringify(value);
  return { text, bytes: Buffer.byteLength(text, 'utf8') };
}
