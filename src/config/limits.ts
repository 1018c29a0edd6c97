// What reading a configuration may cost, whatever the file holds: a configuration is a few kilobytes,
// written by a person. Without bounds, `-c /dev/zero` read until memory ran out, and a YAML "billion
// laughs" (aliases of aliases) took seconds and gigabytes to expand, then printed millions of problems.
import { constants } from 'node:fs';
import { open, stat } from 'node:fs/promises';

/** Largest configuration file read (1 MiB); a real one is a few kilobytes. */
export const MAX_CONFIG_BYTES = 1024 * 1024;
/** Most values (keys, items, scalars) a file may hold once its YAML aliases are expanded. */
export const MAX_CONFIG_VALUES = 100_000;
/** Deepest nesting of groups and lists (a real configuration has 5 levels). */
export const MAX_CONFIG_DEPTH = 64;
/** Longest value quoted in a message, in characters; longer ones end with `…`. */
export const MAX_QUOTED_CHARS = 80;
/** How many configuration problems are written out in human text (`--json` of `config check` has them all). */
export const MAX_PROBLEMS_SHOWN = 50;
/** Longest list (accepted values, existing profiles…) quoted in a message. */
export const MAX_LIST_CHARS = 400;

export type ReadOutcome =
  | { ok: true; bytes: Buffer }
  | { ok: false; problem: 'notRegular'; kind: string }
  | { ok: false; problem: 'tooLarge'; size: number };

/**
 * The bytes of a regular file of at most MAX_CONFIG_BYTES. Devices, pipes and sockets are refused
 * before they are opened (opening a pipe waits for a writer); the file is opened non-blocking in case
 * it was replaced in between, checked again, and never read past the limit even if it grows.
 * Errors of the file system (ENOENT, EACCES…) are thrown.
 */
export async function readBounded(file: string): Promise<ReadOutcome> {
  const before = await stat(file);
  if (!before.isFile()) return { ok: false, problem: 'notRegular', kind: kindOf(before) };
  if (before.size > MAX_CONFIG_BYTES) return { ok: false, problem: 'tooLarge', size: before.size };
  // O_NONBLOCK does not exist on Windows, where opening never waits for a writer anyway.
  const handle = await open(file, constants.O_RDONLY | ((constants as { O_NONBLOCK?: number }).O_NONBLOCK ?? 0));
  try {
    const opened = await handle.stat();
    if (!opened.isFile()) return { ok: false, problem: 'notRegular', kind: kindOf(opened) };
    const buffer = Buffer.alloc(MAX_CONFIG_BYTES + 1);
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > MAX_CONFIG_BYTES) return { ok: false, problem: 'tooLarge', size: Math.max(length, opened.size) };
    return { ok: true, bytes: buffer.subarray(0, length) };
  } finally {
    await handle.close();
  }
}

function kindOf(stats: { isDirectory(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isFIFO(): boolean; isSocket(): boolean }): string {
  if (stats.isDirectory()) return 'directory';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'device';
  if (stats.isFIFO()) return 'pipe';
  if (stats.isSocket()) return 'socket';
  return 'other';
}

export type TreeOutcome = { ok: true } | { ok: false; problem: 'tooDeep' } | { ok: false; problem: 'tooManyValues'; aliases: boolean };

/**
 * Whether a parsed tree stays within MAX_CONFIG_DEPTH and MAX_CONFIG_VALUES once expanded. A YAML
 * alias is the same object reached twice: each object's expanded size is counted once and remembered,
 * so a bomb is measured in the time of its text, not of its expansion.
 */
export function checkTree(tree: unknown): TreeOutcome {
  const sizes = new Map<object, number>();
  let aliases = false;
  // `as boolean`: measure() sets it, which narrowing after the call does not see.
  let tooDeep = false as boolean;
  const measure = (value: unknown, depth: number): number => {
    if (value === null || typeof value !== 'object') return 1;
    const known = sizes.get(value);
    if (known !== undefined) {
      aliases = true;
      return known;
    }
    if (depth > MAX_CONFIG_DEPTH) {
      tooDeep = true;
      return 1;
    }
    let size = 1;
    for (const child of Object.values(value)) {
      size += measure(child, depth + 1);
      if (tooDeep || size > MAX_CONFIG_VALUES) break;
    }
    sizes.set(value, size);
    return size;
  };
  const total = measure(tree, 0);
  if (tooDeep) return { ok: false, problem: 'tooDeep' };
  return total > MAX_CONFIG_VALUES ? { ok: false, problem: 'tooManyValues', aliases } : { ok: true };
}

/** At most MAX_QUOTED_CHARS characters (never half a surrogate pair), then `…`. */
export function shortenQuoted(text: string, max = MAX_QUOTED_CHARS): string {
  if (text.length <= max) return text;
  const chars = Array.from(text.slice(0, max * 2 + 2));
  return chars.length <= max ? text : `${chars.slice(0, max).join('')}…`;
}
