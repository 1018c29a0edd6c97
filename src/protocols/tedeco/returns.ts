// `tedeco` retrieval: the return files the agent drops in `eaa/a001` and `eaa/a020` (`la*.<ead>`),
// listed, copied out and deleted exactly as the `local` protocol does with an inbox.
import { dirname, resolve } from 'node:path';
import { TransferError, type FetchResult, type ProtocolLog, type RemoteEntry, type TransferOptions } from '../contract.js';
import { acknowledgeEntry, fetchFromInbox, listInbox } from '../common/folder-inbox.js';
import { samePath, type LocalSettings } from '../common/folder-settings.js';
import { throwIfAborted } from '../../shared/abort.js';
import { folderExists, requireSpoolFolder } from './folders.js';
import type { TedecoSettings } from './settings.js';
import { returnPattern, type SpoolLayout } from './spool.js';

export interface ReturnSide {
  settings: TedecoSettings;
  layout: SpoolLayout;
  log: ProtocolLog;
}

function inboxOf(side: ReturnSide, folder: string): LocalSettings {
  return {
    target: undefined,
    inbox: folder,
    afterRetrieve: { action: 'delete' },
    filter: side.settings.filter ?? [returnPattern(side.settings.ead)],
  };
}

/** Both return folders, oldest first; one the agent has not created yet holds nothing. */
export async function listReturns(side: ReturnSide, options: TransferOptions = {}): Promise<RemoteEntry[]> {
  throwIfAborted(options.signal);
  await requireSpoolFolder(side.layout.root, 'spool');
  const entries: RemoteEntry[] = [];
  for (const folder of side.layout.returns) {
    if (!(await folderExists(folder))) {
      side.log.debug('protocol.tedeco.noReturnFolder', { path: folder });
      continue;
    }
    entries.push(...(await listInbox(inboxOf(side, folder), options)));
  }
  return entries.sort((a, b) => (a.mtime?.getTime() ?? 0) - (b.mtime?.getTime() ?? 0));
}

export async function fetchReturn(side: ReturnSide, entry: RemoteEntry, destPath: string, options: TransferOptions = {}): Promise<FetchResult> {
  return fetchFromInbox(inboxOf(side, returnFolderOf(side, entry)), entry, destPath, options);
}

/** Deleted from the spool once safely received (never when it changed since it was listed). */
export async function acknowledgeReturn(side: ReturnSide, entry: RemoteEntry): Promise<void> {
  await acknowledgeEntry(inboxOf(side, returnFolderOf(side, entry)), entry);
}

/** Entry ids come back from the core: only files directly inside a return folder are ours to touch. */
function returnFolderOf(side: ReturnSide, entry: RemoteEntry): string {
  const folder = dirname(resolve(entry.id));
  const found = side.layout.returns.find((candidate) => samePath(candidate, folder));
  if (found === undefined) throw new TransferError('permanent', 'protocol.tedeco.outsideReturns', { name: entry.name, path: entry.id });
  return found;
}
