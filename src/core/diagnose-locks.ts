// diagnose: which runs hold a lock right now, and which locks were left behind by a crash.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { OrdoConfig } from '../config/model.js';
import { t } from '../i18n/index.js';
import { check } from './diagnose-check.js';
import { localTime } from '../shared/local-time.js';
import { readLock } from '../shared/lock.js';
import { spoolPaths } from '../shared/paths.js';
import type { DiagnoseCheck } from './results.js';

export async function lockChecks(config: OrdoConfig): Promise<DiagnoseCheck[]> {
  const dir = spoolPaths(config).locks;
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.lock')).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    names = [];
  }
  const checks: DiagnoseCheck[] = [];
  for (const name of names) {
    const path = join(dir, name);
    const state = readLock(path);
    if (state === undefined) continue;
    const scope = name.replace(/\.lock$/, '');
    const params = { path, pid: state.owner.pid, host: state.owner.host, since: localTime(state.owner.since), command: state.owner.command ?? '?' };
    if (state.stale) {
      checks.push(check('locks', 'warn', t('diagnose.lock.stale', params), { fix: t('diagnose.lock.stale.fix', params), scope }));
    } else {
      checks.push(check('locks', 'warn', t('diagnose.lock.held', params), { fix: t('diagnose.lock.held.fix', params), scope }));
    }
  }
  if (checks.length === 0) checks.push(check('locks', 'ok', t('diagnose.lock.none')));
  return checks;
}
