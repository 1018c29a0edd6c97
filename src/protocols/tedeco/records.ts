// Record counting (var1): fixed-length records, optionally separated by LF or CRLF. The separators
// are not part of the records, so the count is (bytes − separator bytes) / record length, and a
// remainder means the file is not what the scenario says it is.
import { createReadStream } from 'node:fs';
import { CHUNK_BYTES } from '../common/file-copy.js';

const LF = 0x0a;
const CR = 0x0d;

/** Feeds on a file's bytes in order and counts the separator bytes (each LF, and a CR just before an LF). */
export class SeparatorTally {
  size = 0;
  separatorBytes = 0;
  private lastWasCr = false;

  update(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    for (let at = chunk.indexOf(LF); at !== -1; at = chunk.indexOf(LF, at + 1)) {
      const afterCr = at === 0 ? this.lastWasCr : chunk[at - 1] === CR;
      this.separatorBytes += afterCr ? 2 : 1;
    }
    this.lastWasCr = chunk[chunk.length - 1] === CR;
    this.size += chunk.length;
  }
}

export type RecordCount =
  | { whole: true; records: number; payload: number }
  /** `rest` bytes left over after `records` complete records. */
  | { whole: false; records: number; payload: number; rest: number };

export function countRecords(tally: Pick<SeparatorTally, 'size' | 'separatorBytes'>, recordLength: number): RecordCount {
  const payload = tally.size - tally.separatorBytes;
  const records = Math.floor(payload / recordLength);
  const rest = payload - records * recordLength;
  return rest === 0 ? { whole: true, records, payload } : { whole: false, records, payload, rest };
}

/** Streams the file once (flat memory). */
export async function tallyFile(path: string, signal?: AbortSignal): Promise<SeparatorTally> {
  const tally = new SeparatorTally();
  const stream = createReadStream(path, { highWaterMark: CHUNK_BYTES, ...(signal === undefined ? {} : { signal }) });
  for await (const chunk of stream) tally.update(chunk as Buffer);
  return tally;
}
