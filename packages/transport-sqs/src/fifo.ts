import { createHash } from 'node:crypto';

/** SQS FIFO ids: 1 to 128 printable ASCII characters. */
const FIFO_ID = /^[\x21-\x7e]{1,128}$/;

/** The id itself when SQS accepts it, else a stable hash of it. */
export function fifoId(value: string): string {
  return FIFO_ID.test(value) ? value : createHash('sha256').update(value).digest('hex');
}

/** A deduplication id for bytes that carry no envelope id: a hash of everything sent. */
export function contentId(
  topic: string,
  headers: Readonly<Record<string, string>>,
  body: Uint8Array,
): string {
  return createHash('sha256').update(topic).update(JSON.stringify(headers)).update(body).digest('hex');
}
