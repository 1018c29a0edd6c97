// `tedeco` diagnose: the spool folders, the pairs waiting for the agent (incomplete ones, old ones
// never consumed), the agent's scratch folders and our own leftovers — each with the fix to apply.
import { constants } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { formatDuration } from '../../shared/duration.js';
import { isTransferError, type CheckResult, type CheckStatus } from '../contract.js';
import { errorCode } from '../common/file-errors.js';
import { accessCode, probeWrite } from '../common/fs-probe.js';
import { folderExists, requireSpoolFolder, type SpoolFolderRole } from './folders.js';
import type { TedecoSettings } from './settings.js';
import { readRequestFolder, type SpoolLayout } from './spool.js';

/** A pair is written within milliseconds: a half seen younger than this may be one being written or consumed. */
const HALF_PAIR_GRACE_MS = 60 * 1000;
/** Older than this, a temporary file of ours belongs to no running send. */
const STALE_TEMP_MS = 24 * 60 * 60 * 1000;
const NAMES_SHOWN = 5;

export interface CheckedSpool {
  settings: TedecoSettings;
  layout: SpoolLayout;
  now: () => Date;
}

/** The spool root; when it fails, nothing else is worth checking. */
export async function checkSpoolRoot(layout: SpoolLayout): Promise<CheckResult> {
  const missing = await folderProblem('tedeco.spool', layout.root, 'spool');
  return missing ?? { id: 'tedeco.spool', status: 'ok', key: 'diagnose.tedeco.spoolOk', params: { path: layout.root } };
}

export async function checkRequestSide(spool: CheckedSpool, writeProbe: boolean): Promise<CheckResult[]> {
  const folder = spool.layout.requests;
  const missing = await folderProblem('tedeco.requests', folder, 'requests');
  if (missing !== undefined) return [missing];
  const code = writeProbe ? await probeWrite(folder) : await accessCode(folder, constants.W_OK | constants.X_OK);
  if (code !== undefined) {
    return [denied('tedeco.requests', folder, code)];
  }
  const results: CheckResult[] = [{ id: 'tedeco.requests', status: 'ok', key: writeProbe ? 'diagnose.tedeco.requestFolderProbed' : 'diagnose.tedeco.requestFolderOk', params: { path: folder } }];
  const pairs = await pairChecks(spool);
  results.push(...pairs.results, await agentTempCheck(spool, pairs.stale));
  return results;
}

export async function checkReturnSide(layout: SpoolLayout): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const folder of layout.returns) {
    const id = `tedeco.returns.${basename(folder)}`;
    if (!(await folderExists(folder).catch(() => true))) {
      results.push({ id, status: 'warn', key: 'diagnose.tedeco.returnFolderMissing', params: { path: folder }, fixKey: 'diagnose.tedeco.returnFolderMissing.fix' });
      continue;
    }
    let count: number;
    try {
      count = (await readdir(folder, { withFileTypes: true })).filter((entry) => entry.isFile()).length;
    } catch (error) {
      results.push(denied(id, folder, errorCode(error) ?? 'UNKNOWN', 'diagnose.tedeco.notReadable'));
      continue;
    }
    const code = await accessCode(folder, constants.W_OK | constants.X_OK);
    results.push(code === undefined ? { id, status: 'ok', key: 'diagnose.tedeco.returnFolderOk', params: { path: folder, count } } : denied(id, folder, code));
  }
  return results;
}

interface PairChecks {
  results: CheckResult[];
  /** Requests the agent left untouched for longer than the threshold. */
  stale: number;
}

async function pairChecks(spool: CheckedSpool): Promise<PairChecks> {
  const { layout, settings } = spool;
  const folder = layout.requests;
  const listing = await readRequestFolder(folder, settings.ead);
  const now = spool.now().getTime();
  const ageOf = async (name: string): Promise<number> => {
    const info = await lstat(join(folder, name)).catch(() => undefined);
    return info === undefined ? 0 : now - info.mtimeMs;
  };
  const requestsAlone: string[] = [];
  const dataAlone: string[] = [];
  const waiting: Array<{ name: string; age: number }> = [];
  for (const [key, name] of listing.requests) {
    const age = await ageOf(name);
    if (!listing.data.has(key)) {
      if (age > HALF_PAIR_GRACE_MS) requestsAlone.push(name);
    } else {
      waiting.push({ name, age });
    }
  }
  for (const [key, name] of listing.data) {
    if (!listing.requests.has(key) && (await ageOf(name)) > HALF_PAIR_GRACE_MS) dataAlone.push(name);
  }
  const results: CheckResult[] = [];
  if (requestsAlone.length > 0) {
    results.push({ id: 'tedeco.pairs.requestWithoutData', status: 'fail', key: 'diagnose.tedeco.requestWithoutData', params: { path: folder, count: requestsAlone.length, names: shown(requestsAlone) }, fixKey: 'diagnose.tedeco.requestWithoutData.fix' });
  }
  if (dataAlone.length > 0) {
    results.push({ id: 'tedeco.pairs.dataWithoutRequest', status: 'warn', key: 'diagnose.tedeco.dataWithoutRequest', params: { path: folder, count: dataAlone.length, names: shown(dataAlone) }, fixKey: 'diagnose.tedeco.dataWithoutRequest.fix' });
  }
  const stale = waiting.filter((request) => request.age > settings.staleRequestMs).sort((a, b) => b.age - a.age);
  const oldest = stale[0];
  if (oldest !== undefined) {
    const params = { count: stale.length, names: shown(stale.map((request) => request.name)), hours: Math.floor(oldest.age / 3_600_000), threshold: formatDuration(settings.staleRequestMs) };
    results.push({ id: 'tedeco.pending', status: 'fail', key: 'diagnose.tedeco.staleRequests', params, fixKey: 'diagnose.tedeco.staleRequests.fix' });
  } else {
    results.push({ id: 'tedeco.pending', status: 'ok', key: 'diagnose.tedeco.pending', params: { count: waiting.length } });
  }
  const oldTemporaries = (await Promise.all(listing.temporaries.map(ageOf))).filter((age) => age > STALE_TEMP_MS).length;
  if (oldTemporaries > 0) {
    results.push({ id: 'tedeco.temporaries', status: 'warn', key: 'diagnose.tedeco.staleTemporaries', params: { path: folder, count: oldTemporaries }, fixKey: 'diagnose.tedeco.staleTemporaries.fix' });
  }
  return { results, stale: stale.length };
}

/** Non-empty scratch folders: the agent at work, or — with requests left waiting — the agent gone silent. */
async function agentTempCheck(spool: CheckedSpool, staleRequests: number): Promise<CheckResult> {
  const busy: string[] = [];
  for (const folder of spool.layout.agentTemp) {
    const entries = await readdir(folder).catch(() => [] as string[]);
    if (entries.length > 0) busy.push(`${folder} (${entries.length})`);
  }
  if (busy.length === 0) return { id: 'tedeco.agentTemp', status: 'ok', key: 'diagnose.tedeco.agentTempEmpty', params: { path: spool.layout.root } };
  const status: CheckStatus = staleRequests > 0 ? 'fail' : 'warn';
  return { id: 'tedeco.agentTemp', status, key: 'diagnose.tedeco.agentTemp', params: { folders: busy.join(', ') }, fixKey: 'diagnose.tedeco.agentTemp.fix' };
}

function shown(names: string[]): string {
  const sorted = [...names].sort();
  return sorted.length > NAMES_SHOWN ? `${sorted.slice(0, NAMES_SHOWN).join(', ')}, …` : sorted.join(', ');
}

async function folderProblem(id: string, folder: string, role: SpoolFolderRole): Promise<CheckResult | undefined> {
  try {
    await requireSpoolFolder(folder, role);
    return undefined;
  } catch (error) {
    if (!isTransferError(error)) throw error;
    return { id, status: 'fail', key: error.key, params: error.params, ...(error.fixKey === undefined ? {} : { fixKey: error.fixKey }) };
  }
}

function denied(id: string, path: string, code: string, key = 'diagnose.tedeco.notWritable'): CheckResult {
  return { id, status: 'fail', key, params: { path, code }, fixKey: 'protocol.local.denied.fix' };
}

