import { stat } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Whether anything exists at `path` (an unreadable parent counts as no). */
export async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** The closest folder that exists at or above `path` (undefined when something else is in the way). */
export async function nearestExisting(path: string): Promise<string | undefined> {
  for (let current = path; ; current = dirname(current)) {
    try {
      if ((await stat(current)).isDirectory()) return current;
      return undefined;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return undefined;
    }
    if (dirname(current) === current) return undefined;
  }
}

