// diagnose: can ordo work in its folders? The root gets a real write probe (the only sure test on
// Windows and network shares); the others must exist and be writable, or be creatable.
import { lstat, open, readdir, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative } from 'node:path';
import { isRemovableLeftover, isTemporaryName, STALE_TEMP_MS } from '../shared/temp-names.js';
import { peopleStamp } from '../shared/local-time.js';
import type { OrdoConfig, ScenarioConfig } from '../config/model.js';
import { t } from '../i18n/index.js';
import { check } from './diagnose-check.js';
import { spoolPaths } from '../shared/paths.js';
import { accessCode, probeWrite } from '../protocols/common/fs-probe.js';
import type { DiagnoseCheck } from './results.js';
import { firstLook } from './scan.js';
import { localFailureFix } from './local-failure.js';
import { nearestExisting } from '../shared/exists.js';
import { backupMethodCheck } from './diagnose-backup.js';

type FolderState =
  | { state: 'ok' }
  | { state: 'creatable' }
  | { state: 'missing'; code: string }
  | { state: 'notFolder' }
  | { state: 'notWritable'; code: string };

interface Folder {
  role: 'root' | 'source' | 'backup' | 'queue' | 'failed' | 'received' | 'logs' | 'journal' | 'locks';
  path: string;
  /** ordo creates it when needed (every folder but the source). */
  creatable: boolean;
}

export async function rootCheck(config: OrdoConfig): Promise<DiagnoseCheck> {
  const root = config.root;
  const state = await folderState(root);
  if (state.state === 'creatable') return check('folders.root', 'ok', t('diagnose.root.creatable', { path: root }));
  if (state.state !== 'ok') return folderProblem('folders.root', { role: 'root', path: root, creatable: true }, state, undefined);
  const code = await probeWrite(root);
  if (code !== undefined) {
    return check('folders.root', 'fail', t('diagnose.root.probeFailed', { path: root, code }), { fix: t('diagnose.root.probeFailed.fix', { path: root }) });
  }
  return check('folders.root', 'ok', t('diagnose.root.ok', { path: root }));
}

export async function spoolChecks(config: OrdoConfig): Promise<DiagnoseCheck[]> {
  const paths = spoolPaths(config);
  const folders: Folder[] = [
    { role: 'logs', path: paths.logs, creatable: true },
    { role: 'journal', path: paths.journal, creatable: true },
    { role: 'locks', path: paths.locks, creatable: true },
  ];
  return folderGroupChecks('folders.spool', folders, paths.root, undefined, t('diagnose.spool.ok', { path: paths.root }));
}

export async function scenarioFolderChecks(config: OrdoConfig, scenario: ScenarioConfig): Promise<DiagnoseCheck[]> {
  const paths = spoolPaths(config);
  const folders: Folder[] = [
    ...(scenario.source === undefined ? [] : [{ role: 'source' as const, path: scenario.source, creatable: false }]),
    { role: 'backup', path: paths.backup(scenario), creatable: true },
    { role: 'queue', path: paths.queue(scenario.name), creatable: true },
    { role: 'failed', path: paths.failed(scenario.name), creatable: true },
    { role: 'received', path: paths.received(scenario.profile), creatable: true },
  ];
  const checks = await folderGroupChecks('folders.scenario', folders, paths.root, scenario.name, t('diagnose.folders.ok', { count: folders.length }));
  const leftovers = await leftoverChecks(scenario, [paths.backup(scenario), paths.queue(scenario.name), paths.received(scenario.profile)]);
  return [...checks, ...(await backupMethodCheck(config, scenario)), ...(await unreadableSourceFiles(scenario)), ...leftovers];
}

/**
 * Temporaries still in ordo's own folders (backup copies, queue items or downloads being written): a
 * run removes those it can prove abandoned; what remains is shown, with whose they may be.
 */
async function leftoverChecks(scenario: ScenarioConfig, folders: string[]): Promise<DiagnoseCheck[]> {
  const checks: DiagnoseCheck[] = [];
  const now = Date.now();
  for (const folder of folders) {
    const names = (await readdir(folder).catch(() => [] as string[])).filter(isTemporaryName);
    if (names.length === 0) continue;
    let removable = 0;
    let old = 0;
    let oldest = now;
    for (const name of names) {
      const mtime = await lstat(join(folder, name)).then((s) => s.mtimeMs, () => now);
      if (isRemovableLeftover(name, mtime, now)) removable++;
      if (now - mtime > STALE_TEMP_MS) old++;
      oldest = Math.min(oldest, mtime);
    }
    const params = { path: folder, count: names.length, removable, unproven: names.length - removable };
    checks.push(check('folders.leftovers', 'warn', t('diagnose.leftovers', params), { fix: t('diagnose.leftovers.fix', params), scope: scenario.name }));
    // Older than a day: no run has come by since (a run removes them), or they cannot be removed.
    if (old > 0) {
      const oldParams = { path: folder, count: old, since: peopleStamp(new Date(oldest)) };
      checks.push(check('folders.oldTemporaries', 'warn', t('diagnose.oldTemporaries', oldParams), { fix: t('diagnose.oldTemporaries.fix', oldParams), scope: scenario.name }));
    }
  }
  return checks;
}

/** Files of the source folder that match the filter but that this account cannot open: they would never be sent. */
async function unreadableSourceFiles(scenario: ScenarioConfig): Promise<DiagnoseCheck[]> {
  if (scenario.source === undefined) return [];
  const look = await firstLook(scenario).catch(() => undefined);
  const checks: DiagnoseCheck[] = [];
  for (const file of look?.files ?? []) {
    const code = await openCode(file.path);
    if (code === undefined || code === 'ENOENT') continue;
    const params = { path: file.path, code };
    checks.push(check('folders.sourceFile', 'fail', t('diagnose.source.unreadable', params), { fix: localFailureFix(code, scenario.source, file.path), scope: scenario.name }));
  }
  return checks;
}

async function openCode(path: string): Promise<string | undefined> {
  try {
    await (await open(path, 'r')).close();
    return undefined;
  } catch (error) {
    return errorCode(error);
  }
}

/** One ✔ for the whole group when every folder is usable, else one check per folder in trouble. */
async function folderGroupChecks(id: string, folders: Folder[], root: string, scope: string | undefined, okMessage: string): Promise<DiagnoseCheck[]> {
  const problems: DiagnoseCheck[] = [];
  const toCreate: string[] = [];
  for (const folder of folders) {
    const state = await folderState(folder.path);
    if (state.state === 'ok') continue;
    if (state.state === 'creatable' && folder.creatable) toCreate.push(shortPath(folder.path, root));
    else problems.push(folderProblem(id, folder, state, scope));
  }
  if (problems.length > 0) return problems;
  const note = toCreate.length === 0 ? '' : ` ${t('diagnose.folders.toCreate', { folders: toCreate.join(', ') })}`;
  return [check(id, 'ok', `${okMessage}${note}`, { scope })];
}

function folderProblem(id: string, folder: Folder, state: FolderState, scope: string | undefined): DiagnoseCheck {
  const params = { role: role(folder), path: folder.path, code: 'code' in state ? state.code : '' };
  const key = state.state === 'creatable' ? 'missing' : state.state;
  return check(id, 'fail', t(`diagnose.folder.${key}`, params), { fix: t(`diagnose.folder.${key}.fix`, params), scope });
}

/** `queue/PES` rather than the whole path when the folder is under the root. */
function shortPath(path: string, root: string): string {
  const rel = relative(root, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

function role(folder: Folder): string {
  return t(`diagnose.role.${folder.role}`);
}

async function folderState(path: string): Promise<FolderState> {
  try {
    if (!(await stat(path)).isDirectory()) return { state: 'notFolder' };
  } catch (error) {
    const code = errorCode(error);
    if (code !== 'ENOENT') return { state: 'notWritable', code };
    const parent = await nearestExisting(dirname(path));
    if (parent === undefined) return { state: 'missing', code };
    const parentCode = await accessCode(parent);
    return parentCode === undefined ? { state: 'creatable' } : { state: 'missing', code: parentCode };
  }
  const code = await accessCode(path);
  return code === undefined ? { state: 'ok' } : { state: 'notWritable', code };
}

/** The closest folder above `path` that exists (where a missing folder would be created). */
function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException | undefined)?.code ?? 'UNKNOWN';
}
