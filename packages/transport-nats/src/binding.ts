import { InvalidInputError } from '@eventloom/core';
import type { MsgHdrs } from '@nats-io/transport-node';
import { headers as natsHeaders } from '@nats-io/transport-node';

/**
 * CloudEvents NATS binding, binary mode: attributes are `ce-` headers (as HTTP and the Go SDK's
 * JetStream binding), data is the JSON body. Core's binding does the encoding; this maps its
 * headers to NATS headers and back.
 */
export const NATS_HEADER_PREFIX = 'ce-';

/** Headers the server and the client own (`Nats-Msg-Id`, `Nats-Pin-Id`, `Nats-Expected-…`). */
const RESERVED = /^nats-/iu;

/** NATS headers carrying already-encoded headers; a name NATS cannot carry is an InvalidInputError. */
export function toNatsHeaders(encoded: Readonly<Record<string, string>>): MsgHdrs {
  const headers = natsHeaders();
  for (const [name, value] of Object.entries(encoded)) {
    if (RESERVED.test(name)) throw new InvalidInputError(`headers.${name}`, 'is reserved by NATS (Nats-…)');
    try {
      headers.append(name, value);
    } catch (error) {
      throw new InvalidInputError(`headers.${name}`, 'is not a valid NATS header name', { cause: error });
    }
  }
  return headers;
}

/** The headers as published, without the ones the server or client added. */
export function fromNatsHeaders(headers: MsgHdrs | undefined): Record<string, string> {
  const record: Record<string, string> = {};
  if (headers === undefined) return record;
  for (const name of headers.keys()) {
    if (!RESERVED.test(name)) record[name] = headers.get(name);
  }
  return record;
}
