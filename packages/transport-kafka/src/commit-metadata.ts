/**
 * What a member leaves in the metadata of a partition's committed offset, so the next owner
 * neither redelivers what was acked above the offset nor forgets how often the rest was delivered:
 * every offset in [committed offset, end) is acked unless listed with its delivery count.
 */
export interface PartitionProgress {
  readonly end: number;
  /** Offsets not acked below `end`, with how many times each was delivered (0: fetched only). */
  readonly unacked: ReadonlyMap<number, number>;
}

const FORMAT = 'el1';
/** Under the broker's default `offset.metadata.max.bytes` (4096). */
export const MAX_METADATA_CHARS = 3_500;

/**
 * `el1;<end>;<offset>[.<deliveries>][*<run>],…`, numbers in base 36 and relative to the committed
 * offset, consecutive offsets with the same count as one run. Too long a list is cut: `end` moves
 * down to the first offset left out, which the next owner then reads again.
 */
export function encodeProgress(base: number, progress: PartitionProgress): { metadata: string; end: number } {
  const runs = toRuns([...progress.unacked].sort(([a], [b]) => a - b));
  let end = progress.end;
  const tokens: string[] = [];
  let length = FORMAT.length + 16;
  for (const run of runs) {
    const token = runToken(run, base);
    if (length + token.length + 1 > MAX_METADATA_CHARS) {
      end = run.start;
      break;
    }
    tokens.push(token);
    length += token.length + 1;
  }
  return { metadata: `${FORMAT};${(end - base).toString(36)};${tokens.join(',')}`, end };
}

/** The progress a commit's metadata describes, or undefined when it is not ours or is damaged. */
export function decodeProgress(
  base: number,
  metadata: string | null | undefined,
): PartitionProgress | undefined {
  const [format, endText, list] = (metadata ?? '').split(';');
  if (format !== FORMAT || endText === undefined || list === undefined) return undefined;
  const unacked = new Map<number, number>();
  for (const token of list.length === 0 ? [] : list.split(',')) {
    const match = /^([0-9a-z]+)(?:\.([0-9a-z]+))?(?:\*([0-9a-z]+))?$/.exec(token);
    if (match === null) return undefined;
    const start = base + Number.parseInt(match[1] ?? '', 36);
    const deliveries = match[2] === undefined ? 0 : Number.parseInt(match[2], 36);
    const length = match[3] === undefined ? 1 : Number.parseInt(match[3], 36);
    for (let offset = start; offset < start + length; offset++) unacked.set(offset, deliveries);
  }
  const end = base + Number.parseInt(endText, 36);
  return Number.isSafeInteger(end) ? { end, unacked } : undefined;
}

interface Run {
  readonly start: number;
  length: number;
  readonly deliveries: number;
}

function toRuns(entries: ReadonlyArray<readonly [number, number]>): Run[] {
  const runs: Run[] = [];
  for (const [offset, deliveries] of entries) {
    const last = runs[runs.length - 1];
    if (last !== undefined && last.start + last.length === offset && last.deliveries === deliveries)
      last.length += 1;
    else runs.push({ start: offset, length: 1, deliveries });
  }
  return runs;
}

function runToken(run: Run, base: number): string {
  const count = run.deliveries === 0 ? '' : `.${run.deliveries.toString(36)}`;
  const length = run.length === 1 ? '' : `*${run.length.toString(36)}`;
  return `${(run.start - base).toString(36)}${count}${length}`;
}
