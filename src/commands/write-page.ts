// Writing the report's page where --output says: the missing folders of its path created, the page
// written whole under a temporary name then renamed (an interrupted run never leaves half a page). When
// it cannot be written, the error names the file, the file or folder that refuses and why (exit 1).
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ExitCode, OrdoError } from '../shared/errors.js';
import { temporaryName } from '../shared/temp-names.js';

const NOT_FOLDER = 'report.write.notFolder';
/** The message (and `<key>.fix`) for a system error code; anything else is `report.write.failed`. */
const MESSAGES: Record<string, string> = {
  ENOTDIR: NOT_FOLDER,
  EEXIST: NOT_FOLDER,
  EISDIR: 'report.write.isFolder',
  EACCES: 'report.write.denied',
  EPERM: 'report.write.denied',
  EROFS: 'report.write.denied',
  ENOSPC: 'report.write.full',
  EDQUOT: 'report.write.full',
};

export async function writePage(file: string, html: string): Promise<void> {
  const temp = join(dirname(file), temporaryName(basename(file)));
  try {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(temp, html);
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
    const key = MESSAGES[code] ?? 'report.write.failed';
    throw new OrdoError(key, { file, path: await refusingPath(file, code), code }, ExitCode.partial, { fix: `${key}.fix`, cause: error });
  }
}

/** The path that refused: the page itself when it exists, else the deepest existing folder (or file) of its path. */
async function refusingPath(file: string, code: string): Promise<string> {
  if (code === 'EISDIR') return file;
  const exists = (path: string): Promise<boolean> => stat(path).then(() => true, () => false);
  if (await exists(file)) return file;
  let path = dirname(file);
  while (!(await exists(path)) && dirname(path) !== path) path = dirname(path);
  return path;
}
