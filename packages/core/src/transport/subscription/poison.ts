import type { Envelope } from '../../envelope/envelope.js';
import { uuidv7 } from '../../envelope/ids.js';
import { PoisonMessageError } from '../../errors.js';
import type { BindingOptions } from '../binding.js';
import { decodeBinary } from '../binding.js';
import type { RawDelivery } from './source.js';

/** Type of the envelope that carries undecodable bytes to the dead-letter topic. */
export const UNDECODABLE_MESSAGE_TYPE = 'eventloom.undecodable-message';

export interface UndecodableMessageData {
  readonly problem: string;
  readonly topic: string;
  readonly headers: Readonly<Record<string, string>>;
  /** The original body, base64. */
  readonly body: string;
}

export type Decoded = { readonly envelope: Envelope } | { readonly problem: string };

/** Decodes a raw delivery; never throws, so bad bytes cannot crash the consumer. */
export function decodeDelivery(raw: RawDelivery, binding: BindingOptions): Decoded {
  try {
    return { envelope: decodeBinary(raw.headers, raw.body, binding) };
  } catch (error) {
    if (error instanceof PoisonMessageError) return { problem: error.problem };
    return { problem: `decoding failed: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/**
 * Wraps undecodable bytes in an envelope, so a dead-letter topic only ever holds envelopes that
 * any subscriber can read, while keeping the original headers and body for inspection.
 */
export function undecodableEnvelope(raw: RawDelivery, problem: string, group: string): Envelope {
  const id = uuidv7();
  const data: UndecodableMessageData = {
    problem,
    topic: raw.topic,
    headers: raw.headers,
    body: Buffer.from(raw.body).toString('base64'),
  };
  return {
    specversion: '1.0',
    id,
    type: UNDECODABLE_MESSAGE_TYPE,
    source: `eventloom/${group}`,
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    data: { ...data },
    correlationid: id,
    partitionkey: id,
    schemaversion: 1,
  };
}
