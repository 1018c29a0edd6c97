import { stat } from 'node:fs/promises';

/** Whether anything exists at `path` (an unreadable parent counts as no). */
export async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
