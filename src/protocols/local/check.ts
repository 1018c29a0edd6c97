// `local` diagnose: are the folders there, and can we do what the scenario needs with them?
import { constants } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { isTransferError, type CheckResult } from '../contract.js';
import { errorCode } from '../common/file-errors.js';
import { accessCode, probeWrite } from '../common/fs-probe.js';
import { requireFolder } from '../common/folders.js';
import { countLeftovers } from '../common/temporaries.js';
import type { LocalSettings } from '../common/folder-settings.js';

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
  const left = await countLeftovers(target, Date.now());
  if (left.removable + left.unproven > 0) {
    const params = { path: target, count: left.removable + left.unproven, removable: left.removable, unproven: left.unproven };
    return { id, status: 'warn', key: 'protocol.local.check.staleTemp', params, fixKey: 'protocol.local.check.staleTemp.fix' };
  }
  const key = writeProbe ? 'protocol.local.check.targetProbed' : 'protocol.local.check.targetOk';
  return { id, status: 'ok', key, params: { path: target } };
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
    return { id, status: 'fail', key: error.key, params: error.params, ...(error.fixKey === undefined ? {} : { fixKey: error.fixKey }) };
  }
}

function denied(id: string, key: string, path: string, code: string): CheckResult {
  return { id, status: 'fail', key, params: { path, code }, fixKey: 'protocol.local.denied.fix' };
}

