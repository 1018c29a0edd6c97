// `local` diagnose: are the folders there, and can we do what the scenario needs with them?
import { constants } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { isTransferError, type CheckResult } from './contract.js';
import { errorCode } from './local-errors.js';
import { accessCode, probeWrite } from './fs-probe.js';
import { requireFolder } from './local-folders.js';
import { isTemporaryName } from './temp-names.js';
import type { LocalSettings } from './local-settings.js';

/** Older than this, a temporary copy belongs to no running transfer. */
const STALE_TEMP_MS = 24 * 60 * 60 * 1000;

export async function checkFolders(settings: LocalSettings, writeProbe: boolean): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  if (settings.target !== undefined) results.push(await checkTarget(settings.target, writeProbe));
  if (settings.inbox !== undefined) results.push(await checkInbox(settings.inbox, settings.afterRetrieve.action !== 'keep'));
  if (results.length === 0) {
    results.push({ id: 'local.target', status: 'warn', key: 'protocol.local.check.nothing', fixKey: 'protocol.local.check.nothing.fix' });
  }
  return results;
}

async function checkTarget(target: string, writeProbe: boolean): Promise<CheckResult> {
  const id = 'local.target';
  const missing = await folderProblem(id, target, 'target');
  if (missing !== undefined) return missing;
  if (writeProbe) {
    const code = await probeWrite(target);
    if (code !== undefined) return denied(id, 'protocol.local.check.probeFailed', target, code);
  } else {
    const code = await accessCode(target, constants.W_OK | constants.X_OK);
    if (code !== undefined) return denied(id, 'protocol.local.check.targetNotWritable', target, code);
  }
  const stale = await staleTemporaryFiles(target);
  if (stale > 0) {
    return { id, status: 'warn', key: 'protocol.local.check.staleTemp', params: { path: target, count: stale }, fixKey: 'protocol.local.check.staleTemp.fix' };
  }
  const key = writeProbe ? 'protocol.local.check.targetProbed' : 'protocol.local.check.targetOk';
  return { id, status: 'ok', key, params: { path: target } };
}

/** Copies interrupted by a killed run (power cut, kill -9): harmless, but they take space. */
async function staleTemporaryFiles(folder: string): Promise<number> {
  const names = await readdir(folder).catch(() => [] as string[]);
  const cutoff = Date.now() - STALE_TEMP_MS;
  let count = 0;
  for (const name of names.filter(isTemporaryName)) {
    const info = await lstat(join(folder, name)).catch(() => undefined);
    if (info !== undefined && info.mtimeMs < cutoff) count += 1;
  }
  return count;
}

async function checkInbox(inbox: string, removesAfterRetrieve: boolean): Promise<CheckResult> {
  const id = 'local.inbox';
  const missing = await folderProblem(id, inbox, 'inbox');
  if (missing !== undefined) return missing;
  let count: number;
  try {
    count = (await readdir(inbox, { withFileTypes: true })).filter((entry) => entry.isFile()).length;
  } catch (error) {
    return denied(id, 'protocol.local.check.inboxNotReadable', inbox, errorCode(error) ?? 'UNKNOWN');
  }
  if (removesAfterRetrieve) {
    const code = await accessCode(inbox, constants.W_OK | constants.X_OK);
    if (code !== undefined) return denied(id, 'protocol.local.check.inboxNotWritable', inbox, code);
  }
  return { id, status: 'ok', key: 'protocol.local.check.inboxOk', params: { path: inbox, count } };
}

async function folderProblem(id: string, folder: string, role: 'target' | 'inbox'): Promise<CheckResult | undefined> {
  try {
    await requireFolder(folder, role);
    return undefined;
  } catch (error) {
    if (!isTransferError(error)) throw error;
    const fixKey = `${error.key}.fix`;
    return { id, status: 'fail', key: error.key, params: error.params, fixKey };
  }
}

function denied(id: string, key: string, path: string, code: string): CheckResult {
  return { id, status: 'fail', key, params: { path, code }, fixKey: 'protocol.local.denied.fix' };
}

