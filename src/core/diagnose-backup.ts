// diagnose: how a scenario's backups are made (docs/engine.md, Sending, step 3). Where both folders
// exist, the engine's own function is tried on a probe file (a hard link, a clone or a copy); before
// the first run, the volumes tell whether a link will do.
import { stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { OrdoConfig, ScenarioConfig } from '../config/model.js';
import { t } from '../i18n/index.js';
import { duplicateFlushed, writeFileFlushed, type DuplicateMethod } from '../shared/durable-files.js';
import { nearestExisting } from '../shared/exists.js';
import { spoolPaths } from '../shared/paths.js';
import { temporaryName } from '../shared/temp-names.js';
import { check } from './diagnose-check.js';
import type { DiagnoseCheck } from './results.js';

export async function backupMethodCheck(config: OrdoConfig, scenario: ScenarioConfig): Promise<DiagnoseCheck[]> {
  const paths = spoolPaths(config);
  const backup = paths.backup(scenario);
  const method = await probedMethod(paths.queue(scenario.name), backup).catch(() => undefined);
  // A folder that cannot be probed is the folder checks' business: nothing more is said here.
  if (method === undefined) return [];
  return [check('folders.backup', 'ok', t(`diagnose.backup.${method}`, { path: backup }), { scope: scenario.name })];
}

/** The method the engine gets between the two folders; `cloneOrCopy` when they are not both there yet. */
async function probedMethod(queue: string, backup: string): Promise<DuplicateMethod | 'cloneOrCopy' | undefined> {
  const [queueInfo, backupInfo] = await Promise.all([stat(queue).catch(() => undefined), stat(backup).catch(() => undefined)]);
  if (queueInfo === undefined || backupInfo === undefined) {
    const [a, b] = await Promise.all([nearestExisting(queue), nearestExisting(backup)]);
    if (a === undefined || b === undefined) return undefined;
    const [da, db] = await Promise.all([stat(a), stat(b)]);
    return da.dev === db.dev ? 'link' : 'cloneOrCopy';
  }
  const probe = join(queue, temporaryName('backup-probe'));
  const copy = join(backup, temporaryName('backup-probe'));
  try {
    await writeFileFlushed(probe, 'ordo', 'wx');
    return await duplicateFlushed(probe, copy);
  } finally {
    await Promise.all([unlink(probe).catch(() => undefined), unlink(copy).catch(() => undefined)]);
  }
}
