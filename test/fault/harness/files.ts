// Looking at folders the way a partner or a user does: every entry, hidden ones included, and contents by sha256.
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

export function sha256OfFile(path: string): string {
  return sha256(readFileSync(path));
}

/** Entries of a folder (hidden included); [] when it does not exist. */
export function entries(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).sort();
}

/** Every file under `dir`, recursively, as paths relative to it (hidden included). */
export function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (folder: string): void => {
    for (const name of readdirSync(folder)) {
      const path = join(folder, name);
      const info = lstatSync(path);
      if (info.isDirectory()) walk(path);
      else out.push(relative(dir, path));
    }
  };
  walk(dir);
  return out.sort();
}

/** sha256 → the names holding it, for the plain files directly in `dir` (hidden included). */
export function contentIndex(dir: string): Map<string, string[]> {
  const index = new Map<string, string[]>();
  for (const name of entries(dir)) {
    const path = join(dir, name);
    if (!lstatSync(path).isFile()) continue;
    const hash = sha256OfFile(path);
    index.set(hash, [...(index.get(hash) ?? []), name]);
  }
  return index;
}

/** Our temporary names and the claim names, wherever they are. */
export function isOrdoTemporary(name: string): boolean {
  return /\.ordo-part$/.test(name) || /^\.ordo-[0-9a-f]+\.partial$/.test(name) || name.startsWith('.ordo-claim.') || name.startsWith('.ordo-');
}

/** Renders a name for a report: control characters visible, long names shortened. */
export function shown(name: string): string {
  const json = JSON.stringify(name).replace(/[\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return json.length > 90 ? `${json.slice(0, 60)}…(${Buffer.byteLength(name)} bytes)` : json;
}

/**
 * Files under `dir` (recursively) that a partner or a user would take for a stray file: hidden files, and
 * any file inside a sub-folder (ordo's own hidden work folders must be empty once it is done). An empty
 * sub-folder is not a file and is not reported.
 */
export function strayFiles(dir: string): string[] {
  return filesUnder(dir).filter((path) => path.includes('/') || path.startsWith('.'));
}
