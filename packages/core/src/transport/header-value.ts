import { InvalidInputError } from '../errors.js';

const NEEDS_NO_ESCAPE = /^[\x21\x23\x24\x26-\x7e]*$/;

/**
 * Percent-encodes a header value as the CloudEvents HTTP binding does (everything outside printable
 * ASCII, plus space, `"` and `%`), so one value survives every broker's header rules.
 */
export function encodeHeaderValue(value: string, name: string): string {
  if (NEEDS_NO_ESCAPE.test(value)) return value;
  let encoded = '';
  for (const char of value) {
    encoded += NEEDS_NO_ESCAPE.test(char) ? char : escapeChar(char, name);
  }
  return encoded;
}

function escapeChar(char: string, name: string): string {
  try {
    return encodeURIComponent(char);
  } catch (error) {
    throw new InvalidInputError(`header '${name}'`, 'contains a lone UTF-16 surrogate', { cause: error });
  }
}

/** The inverse of `encodeHeaderValue`; undefined when the value is not validly encoded. */
export function decodeHeaderValue(value: string): string | undefined {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

/** Adds percent-encoded headers to already-encoded ones, e.g. the reason of a dead letter. */
export function withEncodedHeaders(
  headers: Readonly<Record<string, string>>,
  extra: Readonly<Record<string, string>>,
): Record<string, string> {
  const merged: Record<string, string> = { ...headers };
  for (const [name, value] of Object.entries(extra)) merged[name] = encodeHeaderValue(value, name);
  return merged;
}
