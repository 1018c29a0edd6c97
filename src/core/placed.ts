// Finding a file already placed under a wanted name or one of its numbered variants (a run stopped
// between its `placing` line and the next one): retrieval and receipts of pending sends.
import { lstat, readdir } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { join } from 'node:path';
import { withCollisionSuffix } from '../naming/index.js';

/**
 * The file placed under `wanted` or one of its numbered variants (`name_1.ext`…) in `dir` for which
 * `matches` holds, if any. Reads the folder once.
 */
export async function findPlaced(dir: string, wanted: string, matches: (path: string, info: Stats) => Promise<boolean>): Promise<string | undefined> {
  const present = new Set(await readdir(dir).catch(() => [] as string[]));
  for (let n = 0; n <= MAX_COLLISION_SUFFIX && present.size > 0; n += 1) {
    const name = withCollisionSuffix(wanted, n);
    if (!present.has(name)) continue;
    present.delete(name);
    const path = join(dir, name);
    const info = await lstat(path).catch(() => undefined);
    if (info?.isFile() === true && (await matches(path, info))) return path;
  }
  return undefined;
}

/** As placeFile's limit. */
const MAX_COLLISION_SUFFIX = 9999;
