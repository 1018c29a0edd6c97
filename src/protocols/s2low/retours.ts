// PES Retour, the Trésorerie's business returns: `helios_get_list.php` lists the unread ones,
// `helios_get_retour.php?id=RID` gives one (or XML `<get_retour>…KO`), `helios_change_status.php?id=RID`
// marks it read, which takes it off the list.
import { readFile, rm, stat } from 'node:fs/promises';
import { throwIfAborted } from '../../shared/abort.js';
import { TransferError, type FetchResult, type ProtocolLog, type RemoteEntry, type TransferOptions } from '../contract.js';
import { writeBodyToFile } from '../web/body-to-file.js';
import { errorCodeOf } from '../web/errors.js';
import type { S2lowApi } from './api.js';
import { childText, children, parseXml } from '../common/xml.js';

/** A refusal (`<get_retour>…KO`) is a few hundred bytes: only a file this small may be one. */
const REFUSAL_MAX_BYTES = 4096;

export async function listRetours(api: S2lowApi, options: TransferOptions, log: ProtocolLog): Promise<RemoteEntry[]> {
  throwIfAborted(options.signal);
  const answer = await api.getXml('list', 'liste', {}, { signal: options.signal });
  if (answer.ok === false) {
    throw new TransferError('permanent', 'protocol.s2low.listRefused', { host: api.host }, { fixKey: 'protocol.s2low.listRefused.fix', serverMessage: answer.message });
  }
  const entries: RemoteEntry[] = [];
  for (const retour of children(answer.node, 'pes_retour')) {
    const id = (childText(retour, 'id') ?? '').trim();
    const name = childText(retour, 'nom') ?? '';
    if (!/^\d+$/.test(id) || name === '') {
      options.onSkipped?.({ name: name === '' ? `id ${id === '' ? '?' : id}` : name, key: 'protocol.s2low.skippedRetour', params: { host: api.host, id: id === '' ? '?' : id } });
      continue;
    }
    const mtime = dateOf(childText(retour, 'date'));
    entries.push({ id, name, ...(mtime === undefined ? {} : { mtime }) });
  }
  log.info('protocol.s2low.listed', { count: entries.length, host: api.host });
  return entries;
}

/** S²LOW writes `YYYY-MM-DD HH:MM:SS` (its server's time, taken as UTC here); anything else is left out. */
function dateOf(text: string | undefined): Date | undefined {
  const match = /^(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)$/.exec(text?.trim() ?? '');
  if (match === null) return undefined;
  const date = new Date(`${match[1]}-${match[2]}-${match[3]}T${match[4]}:${match[5]}:${match[6]}Z`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

export async function fetchRetour(api: S2lowApi, entry: RemoteEntry, destPath: string, options: TransferOptions, log: ProtocolLog): Promise<FetchResult> {
  throwIfAborted(options.signal);
  const url = api.address('retour', { id: entry.id });
  const response = await api.send({ method: 'GET', url, signal: options.signal });
  if (response.statusCode !== 200) throw await api.statusError(response, url);
  // Nothing is taken at S²LOW until it is marked read: what arrived can go.
  const { bytes } = await writeBodyToFile(response.body, destPath, options, {
    removeOnFailure: true,
    interrupted: (error, kept) =>
      new TransferError('transient', 'protocol.s2low.fetchInterrupted', { name: entry.name, bytes: kept, code: errorCodeOf(error) ?? 'UNKNOWN' }, { fixKey: 'protocol.s2low.fetchInterrupted.fix', cause: error }),
  });
  if (bytes <= REFUSAL_MAX_BYTES) await refuseRefusal(api, entry, destPath);
  log.info('protocol.s2low.fetched', { name: entry.name, bytes });
  return { bytes: (await stat(destPath)).size };
}

/** A small answer may be S²LOW's `<get_retour><resultat>KO</resultat>…` instead of the file. */
async function refuseRefusal(api: S2lowApi, entry: RemoteEntry, destPath: string): Promise<void> {
  const parsed = parseXml(await readFile(destPath));
  if (parsed?.root !== 'get_retour' || childText(parsed.node, 'resultat')?.trim().toUpperCase() !== 'KO') return;
  await rm(destPath, { force: true });
  const serverMessage = (childText(parsed.node, 'message') ?? '').trim();
  throw new TransferError('permanent', 'protocol.s2low.retourRefused', { name: entry.name, id: entry.id, host: api.host }, { fixKey: 'protocol.s2low.retourRefused.fix', serverMessage });
}

/** Marks the PES Retour read (it leaves the list); harmless when it already is. */
export async function markRead(api: S2lowApi, entry: RemoteEntry, log: ProtocolLog): Promise<void> {
  if (api.settings.afterRetrieve === 'keep') return;
  const answer = await api.getXml('changeStatus', 'transaction', { id: entry.id });
  if (answer.ok !== true) {
    throw new TransferError('transient', 'protocol.s2low.markReadRefused', { name: entry.name, id: entry.id, host: api.host }, { fixKey: 'protocol.s2low.markReadRefused.fix', serverMessage: answer.message });
  }
  log.info('protocol.s2low.markedRead', { name: entry.name, id: entry.id });
}
