// diagnose: free space where the spool lives (backups, queue and received files all land there).
import { statfs } from 'node:fs/promises';
import type { OrdoConfig } from '../config/model.js';
import { t } from '../i18n/index.js';
import { formatSize } from '../i18n/units.js';
import { check } from './diagnose-check.js';
import { nearestExisting } from '../shared/exists.js';
import type { DiagnoseCheck } from './results.js';

const MiB = 1024 * 1024;
export const DISK_WARN_BYTES = 1024 * MiB;
export const DISK_FAIL_BYTES = 100 * MiB;

export async function diskCheck(config: OrdoConfig): Promise<DiagnoseCheck> {
  const folder = await nearestExisting(config.root);
  if (folder === undefined) return check('disk', 'warn', t('diagnose.disk.unknown', { path: config.root, code: 'ENOENT' }));
  let free: number;
  try {
    const stats = await statfs(folder);
    free = stats.bavail * stats.bsize;
  } catch (error) {
    return check('disk', 'warn', t('diagnose.disk.unknown', { path: folder, code: (error as NodeJS.ErrnoException).code ?? '?' }));
  }
  const params = { path: folder, free: formatSize(free) };
  if (free < DISK_FAIL_BYTES) return check('disk', 'fail', t('diagnose.disk.full', params), { fix: t('diagnose.disk.fix', params) });
  if (free < DISK_WARN_BYTES) return check('disk', 'warn', t('diagnose.disk.low', params), { fix: t('diagnose.disk.fix', params) });
  return check('disk', 'ok', t('diagnose.disk.ok', params));
}
