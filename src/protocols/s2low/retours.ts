// PES Retour, the Trésorerie's business returns: `helios_get_list.php` lists the unread ones,
// `helios_get_retour.php?id=RID` gives one (or XML `<get_retour>…KO`), `helios_change_status.php?id=RID`
// marks it read, which takes it off the list.
import { once } from 'node:events';
import { open, readFile, rm, stat, type FileHandle } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { abortError, throwIfAborted } from '../../shared/abort.js';
import { localWriteError, TransferError, type FetchResult, type ProtocolLog, type RemoteEntry, type TransferOptions } from '../contract.js';
import { fileSystemError } from '../common/file-errors.js';
import { errorCodeOf } from '../web/errors.js';
import { dropAnswer, type S2lowApi } from './api.js';
import { childText, children, parseXml } from '../common/xml.js';

/** Disk writes are batched up to this much, so that the network never waits for each one. */
const WRITE_BUFFER_BYTES = 4 * 1024 * 1024;
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
  let handle: FileHandle;
  try {
    handle = await open(destPath, 'w');
  } catch (error) {
    dropAnswer(response);
    throw localWriteError(error, destPath) ?? fileSystemError(error, destPath);
  }
  let bytes = 0;
  response.body.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    options.onProgress?.(bytes);
  });
  const output = handle.createWriteStream({ flush: true, highWaterMark: WRITE_BUFFER_BYTES });
  try {
    await pipeline(response.body, output);
    if (bytes === 0) options.onProgress?.(0);
  } catch (error) {
    if (!output.closed) await once(output, 'close').catch(() => undefined);
    // Nothing is taken at S²LOW until it is marked read: what arrived can go.
    await rm(destPath, { force: true });
    if (options.signal?.aborted === true) throw abortError(options.signal);
    const local = localWriteError(error, destPath);
    if (local !== undefined) throw local;
    throw new TransferError('transient', 'protocol.s2low.fetchInterrupted', { name: entry.name, bytes, code: errorCodeOf(error) ?? 'UNKNOWN' }, { fixKey: 'protocol.s2low.fetchInterrupted.fix', cause: error });
  }
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
