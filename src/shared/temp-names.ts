// The names of our own unfinished writes, the same for every protocol, local or remote: hidden, ending
// in `.ordo-part` (so that no partner filter such as `*.xml` or `PES*` matches them), and telling whose
// they are — a short hash of the host and the pid of the process writing — so that a later run can
// prove a leftover is its own (same host, process gone) and remove it.
import { createHash } from 'node:crypto';
import { isProcessAlive, thisHost } from './process.js';
import { randomHex } from './random-hex.js';

export const TEMP_SUFFIX = '.ordo-part';

/** Keeps temporary names within the usual 255-byte limit whatever the final name's length. */
const TEMP_NAME_BYTES = 180;

/** A temporary file older than this is stale whoever wrote it (no transfer of ours lasts a day). */
export const STALE_TEMP_MS = 24 * 3600 * 1000;

/** `.report.xml.1a2b3c4d5e6f-4242-9f8e7d6c.ordo-part`: unique (random part), and whose (pid, host hash). */
export function temporaryName(name: string): string {
  return `.${truncateUtf8(name, TEMP_NAME_BYTES)}.${randomHex(6)}-${process.pid}-${thisHostTag()}${TEMP_SUFFIX}`;
}

export function isTemporaryName(name: string): boolean {
  return name.startsWith('.') && name.endsWith(TEMP_SUFFIX);
}

export interface TemporaryOwner {
  pid: number;
  /** Written by a process of this host. */
  thisHost: boolean;
}

const OWNER = /\.[0-9a-f]{12}-(\d+)-([0-9a-f]{8})\.ordo-part$/;

/** Who wrote a temporary file; undefined for names of older versions (random part only) or foreign ones. */
export function temporaryOwner(name: string): TemporaryOwner | undefined {
  const match = OWNER.exec(name);
  if (match === null || !name.startsWith('.')) return undefined;
  return { pid: Number(match[1]), thisHost: match[2] === thisHostTag() };
}

/**
 * A temporary file a run may remove: written on this host by a process that is gone, or older than a day
 * (ours or an older version's). Anything else may be a transfer in progress: reported, never touched.
 */
export function isRemovableLeftover(name: string, mtimeMs: number, nowMs: number): boolean {
  if (!isTemporaryName(name)) return false;
  if (nowMs - mtimeMs > STALE_TEMP_MS) return true;
  const owner = temporaryOwner(name);
  return owner !== undefined && owner.thisHost && !isProcessAlive(owner.pid);
}

let ownTag: string | undefined;
/** This host's tag in temporary names: a short hash of its name, made once. */
function thisHostTag(): string {
  ownTag ??= createHash('sha256').update(thisHost().toLowerCase()).digest('hex').slice(0, 8);
  return ownTag;
}

function truncateUtf8(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  let result = '';
  for (const char of text) {
    if (Buffer.byteLength(result + char) > maxBytes) break;
    result += char;
  }
  return result;
}

/**
 * What a temporary file is to a run that finds it: `removable` (see isRemovableLeftover), `live` (a process
 * of this host still running wrote it: a transfer in progress), `unproven` (another host's, or an older
 * version's, younger than a day: it may be in progress there). Undefined for names that are no temporary.
 */
export function leftoverStatus(name: string, mtimeMs: number, nowMs: number): 'removable' | 'live' | 'unproven' | undefined {
  if (!isTemporaryName(name)) return undefined;
  if (isRemovableLeftover(name, mtimeMs, nowMs)) return 'removable';
  const owner = temporaryOwner(name);
  return owner !== undefined && owner.thisHost ? 'live' : 'unproven';
}
