// The request file `rqNNNN.<ead>`: ordo's own format (no public specification exists), documented in
// docs/protocols/tedeco.md — one `key=value` per line, Windows-1252, CRLF, always in this order.
import type { RequestType } from './rfa.js';
import { encodeWindows1252 } from '../../shared/windows-1252.js';

export const REQUEST_FORMAT = 'ordo-tedeco-1';

export interface RequestFields {
  /** NNNN, as in the file names. */
  request: string;
  /** `fiNNNN.<ead>`. */
  data: string;
  alias: string;
  ead: string;
  type: RequestType;
  rfa: string;
  compression: string;
  recordLength: number;
  /** The processed file's name (the subject in the agent's log). */
  nomfic: string;
  /** Bytes of the data file. */
  size: number;
  /** état civil: number of records, send sequence to INSEE. */
  var1?: number;
  var2?: string;
  /** elections: reference year, sequence within that year. */
  var3?: number;
  var4?: string;
}

const ORDER = ['format', 'request', 'data', 'alias', 'ead', 'type', 'rfa', 'compression', 'recordLength', 'nomfic', 'size', 'var1', 'var2', 'var3', 'var4'] as const;

export interface EncodedRequest {
  bytes: Buffer;
  /** Characters of the values that Windows-1252 cannot hold (written as `?`). */
  replaced: string[];
}

export function encodeRequest(fields: RequestFields): EncodedRequest {
  const values: Record<string, string | number | undefined> = { format: REQUEST_FORMAT, ...fields };
  const lines = ORDER.filter((key) => values[key] !== undefined).map((key) => `${key}=${String(values[key])}\r\n`);
  const { bytes, replaced } = encodeWindows1252(lines.join(''));
  return { bytes, replaced };
}

/** The raw value bytes of each `key=value` line (keys are ASCII; values stay Windows-1252). */
export function parseRequest(bytes: Buffer): Map<string, Buffer> {
  const fields = new Map<string, Buffer>();
  let start = 0;
  while (start < bytes.length) {
    let end = bytes.indexOf(0x0a, start);
    if (end === -1) end = bytes.length;
    const line = bytes.subarray(start, end > start && bytes[end - 1] === 0x0d ? end - 1 : end);
    const equals = line.indexOf(0x3d);
    if (equals > 0) fields.set(line.subarray(0, equals).toString('latin1').trim(), line.subarray(equals + 1));
    start = end + 1;
  }
  return fields;
}

/** The bytes `nomfic=` holds for a file of that name. */
export function nomficBytes(name: string): Buffer {
  return encodeWindows1252(name).bytes;
}
