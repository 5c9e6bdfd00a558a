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
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  // One walk state reused call after call (a nested call, from a getter, makes its own).
  const at = spareWalk ?? { root: path, keys: [], ancestors: [] };
  spareWalk = undefined;
  at.root = path;
  try {
    walk(value, at);
  } finally {
    at.keys.length = 0;
    at.ancestors.length = 0;
    spareWalk = at;
  }
}

let spareWalk: Walk | undefined;

/** Where the walk is; the path is only spelled out for a complaint, not for every value. */
interface Walk {
  root: string;
  readonly keys: (string | number)[];
  /** The objects the walk is inside, to find cycles (depth is small: a scan beats a Set). */
  readonly ancestors: object[];
}

function pathOf(at: Walk): string {
  let path = at.root;
  for (const key of at.keys) path += typeof key === 'number' ? `[${key}]` : `.${key}`;
  return path;
}

function walk(value: unknown, at: Walk): void {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return;
    case 'number':
      if (!Number.isFinite(value))
        throw new NotSerializableError(pathOf(at), `${value} is not a finite number`);
      return;
    case 'bigint':
      throw new NotSerializableError(pathOf(at), 'BigInt is not JSON');
    case 'function':
      throw new NotSerializableError(pathOf(at), 'functions are not JSON');
    case 'symbol':
      throw new NotSerializableError(pathOf(at), 'symbols are not JSON');
    case 'undefined':
      throw new NotSerializableError(pathOf(at), 'undefined is not JSON');
  }
  if (value === null) return;
  const object = value as object;
  if (at.ancestors.includes(object)) throw new NotSerializableError(pathOf(at), 'cyclic reference');
  at.ancestors.push(object);
  if (Array.isArray(object)) {
    for (let index = 0; index < object.length; index++) {
      at.keys.push(index);
      walk(object[index], at);
      at.keys.pop();
    }
  } else {
    const proto = Object.getPrototypeOf(object);
    if (proto !== Object.prototype && proto !== null) {
      throw new NotSerializableError(
        pathOf(at),
        `${proto?.constructor?.name ?? 'class'} instance is not a plain object`,
      );
    }
    const record = object as Record<string, unknown>;
    // for…in over own keys: Object.keys order, without an array per object.
    for (const key in record) {
      if (!Object.hasOwn(record, key)) continue;
      const child = record[key];
      if (child === undefined) continue;
      at.keys.push(key);
      walk(child, at);
      at.keys.pop();
    }
  }
  at.ancestors.pop();
}

/** Serialises data already proven JSON-safe; returns the text and its UTF-8 size. */
export function toJson(value: unknown, path = '$'): { text: string; bytes: number } {
  assertJsonSafe(value, path);
  const text = JSON.stringify(value);
  return { text, bytes: utf8Length(text) };
}

/** UTF-8 bytes of `text`: short ASCII text (most data) is counted here, the rest by Buffer. */
export function utf8Length(text: string): number {
  if (text.length > 256) return Buffer.byteLength(text, 'utf8');
  for (let index = 0; index < text.length; index++) {
    if (text.charCodeAt(index) > 0x7f) return Buffer.byteLength(text, 'utf8');
  }
  return text.length;
}
