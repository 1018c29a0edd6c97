// What the journal index answers, as keys of journal lines, and the fixed-size records that point at
// those lines from the index's bucket files.
import { hash } from 'node:crypto';
import type { JournalEntry } from './journal.js';

/** Bump when the keys, the records or state.json change: an index of another version is rebuilt. */
export const INDEX_VERSION = 1;
/** 2^12 buckets: a million files in history make buckets of ~20 KB. */
export const BUCKET_BITS = 12;
/** 16-byte key hash, month (AAAAMM), offset (48 bits as two uint32), line length. */
export const RECORD_SIZE = 32;

/** The last state of a queued send (recovery). */
export const pathKey = (queuePath: string): string => `path:${queuePath}`;
/** Content acknowledged for a scenario (duplicates); the caller checks the entry's time. */
export const ackKey = (scenario: string, sha256: string): string => `ack:${scenario}:${sha256}`;
/** A remote entry already received (retrieval). */
export const recvKey = (key: string): string => `recv:${key}`;

/**
 * Lines that say what became of a content at the partner: `sent`, `pending`, and the partner's later word
 * on a pending send (`acknowledged`, `refused`, `failed` with a `remoteId`: a set-aside `failed` line names
 * failed/, never the partner). The latest counts: a refused content is no longer "already sent".
 */
const ACKNOWLEDGED = new Set<string>(['sent', 'pending', 'acknowledged', 'refused']);
/** The states of a send after `pending` that close it (no more following). */
export const FOLLOW_CLOSED = new Set<string>(['acknowledged', 'refused', 'failed', 'sent']);
/** The latest line of an open pending send: `pending` itself, or a receipt being placed. */
export const FOLLOW_OPEN = new Set<string>(['pending', 'placing']);

function saysWhatBecame(entry: JournalEntry, state: string): boolean {
  return ACKNOWLEDGED.has(state) || (state === 'failed' && typeof entry.remoteId === 'string');
}
// `placing`: a download being put under its final name (added to JournalState by the retrieve path).
export const RECEIVED = new Set<string>(['received', 'acknowledged', 'placing']);
/** Completed transfers: the "last transfer" diagnose shows (kept in state.json, not in buckets). */
export const COMPLETED = new Set<string>(['sent', 'pending', 'received']);

/** The bucket keys of one journal line. */
export function entryKeys(entry: JournalEntry): string[] {
  const keys: string[] = [];
  // Lines read back from the journal: neither field is trusted to be one of its declared values.
  const state = entry.state as string;
  const direction = entry.direction as string;
  if (direction === 'send') {
    if (typeof entry.path === 'string') keys.push(pathKey(entry.path));
    if (saysWhatBecame(entry, state) && typeof entry.sha256 === 'string') keys.push(ackKey(entry.scenario, entry.sha256));
  } else if (direction === 'receive') {
    if (RECEIVED.has(state) && typeof entry.key === 'string') keys.push(recvKey(entry.key));
  }
  return keys;
}

export function keyHash(key: string): Buffer {
  // The one-shot form: half the cost of createHash() for short keys (a first build hashes millions).
  return hash('sha256', key, 'buffer').subarray(0, 16);
}

export function bucketOf(hash: Buffer): number {
  return hash.readUInt16BE(0) >>> (16 - BUCKET_BITS);
}

export function bucketName(bucket: number): string {
  return `b${bucket.toString(16).padStart(3, '0')}`;
}

/** Where a journal line is: its month file (AAAAMM), byte offset and length (without the newline). */
export interface LinePointer {
  month: number;
  offset: number;
  length: number;
}

export function writeRecord(target: Buffer, at: number, hash: Buffer, pointer: LinePointer): void {
  hash.copy(target, at, 0, 16);
  target.writeUInt32LE(pointer.month, at + 16);
  target.writeUInt32LE(pointer.offset % 0x1_0000_0000, at + 20);
  target.writeUInt32LE(Math.floor(pointer.offset / 0x1_0000_0000), at + 24);
  target.writeUInt32LE(pointer.length, at + 28);
}

/** The pointers of `bucket`'s records whose hash is `hash`; a torn record at the end is ignored. */
export function matchingPointers(bucket: Buffer, hash: Buffer): LinePointer[] {
  const found: LinePointer[] = [];
  const whole = bucket.length - (bucket.length % RECORD_SIZE);
  for (let at = 0; at < whole; at += RECORD_SIZE) {
    if (bucket.compare(hash, 0, 16, at, at + 16) !== 0) continue;
    found.push({
      month: bucket.readUInt32LE(at + 16),
      offset: bucket.readUInt32LE(at + 20) + bucket.readUInt32LE(at + 24) * 0x1_0000_0000,
      length: bucket.readUInt32LE(at + 28),
    });
  }
  return found;
}

/** Later in the journal: a later month's file, or further down the same file. */
export function isLater(a: LinePointer, b: LinePointer): boolean {
  return a.month !== b.month ? a.month > b.month : a.offset > b.offset;
}

export function monthOfName(name: string): number | undefined {
  const match = /^(\d{6})\.jsonl$/.exec(name);
  return match ? Number(match[1]) : undefined;
}

export function monthFileName(month: number): string {
  return `${String(month).padStart(6, '0')}.jsonl`;
}
