// Retrieving what Pastell holds for the collectivité: the documents of the inbox's type (PES Retour,
// `helios-pes-retour`, created by Pastell's S²LOW connector) still in `creation` or `modification`.
// Each is offered under its file's name; fetching downloads its `fichier_pes`; acknowledging deletes the
// document (`afterRetrieve=delete`, the default: Pastell has no "read" flag) or leaves it (`keep`).
import { throwIfAborted } from '../../shared/abort.js';
import { TransferError, type FetchResult, type ProtocolLog, type RemoteEntry, type TransferOptions } from '../contract.js';
import { headerValue } from '../web/answers.js';
import { writeBodyToFile } from '../web/body-to-file.js';
import { errorCodeOf } from '../web/errors.js';
import type { DocumentRow, PastellApi } from './api.js';
import { documentDetail, fileNames } from './send.js';

/** The file field of a PES Retour document. */
export const RETOUR_FILE_FIELD = 'fichier_pes';
const WAITING_STATES = ['creation', 'modification'];

/** `<id_d>/<field>/<num>`: what `fetch` and `acknowledge` need. */
function entryId(id_d: string, index: number): string {
  return `${id_d}/${RETOUR_FILE_FIELD}/${index}`;
}

function parseEntryId(id: string): { id_d: string; index: number } | undefined {
  const [id_d, field, index] = id.split('/');
  if (id_d === undefined || !/^[A-Za-z0-9-]{1,64}$/.test(id_d) || field !== RETOUR_FILE_FIELD || index === undefined || !/^\d{1,4}$/.test(index)) return undefined;
  return { id_d, index: Number(index) };
}

export async function listRetours(api: PastellApi, inbox: string, options: TransferOptions, log: ProtocolLog): Promise<RemoteEntry[]> {
  const entries: RemoteEntry[] = [];
  for (const state of WAITING_STATES) {
    let offset = 0;
    for (;;) {
      throwIfAborted(options.signal);
      const url = api.address(api.documentPath(), [['type', inbox], ['lastetat', state], ['offset', String(offset)], ['limit', '100']]);
      const rows = await api.json<unknown>('GET', url, 'list', { signal: options.signal });
      const page = Array.isArray(rows) ? (rows as DocumentRow[]) : [];
      for (const row of page) {
        const detail = await documentDetail(api, row.id_d, options.signal);
        if (detail === undefined) continue;
        const names = fileNames(detail, RETOUR_FILE_FIELD);
        if (names.length === 0) {
          options.onSkipped?.({ name: detail.info.titre || row.id_d, key: 'protocol.pastell.retourWithoutFile', params: { id_d: row.id_d } });
          continue;
        }
        names.forEach((name, index) => entries.push({ id: entryId(row.id_d, index), name }));
      }
      if (page.length < 100) break;
      offset += 100;
    }
  }
  log.info('protocol.pastell.listed', { count: entries.length, type: inbox });
  return entries;
}

export async function fetchRetour(api: PastellApi, entry: RemoteEntry, destPath: string, options: TransferOptions, log: ProtocolLog): Promise<FetchResult> {
  const where = parseEntryId(entry.id);
  if (where === undefined) throw new TransferError('permanent', 'protocol.pastell.notAnEntry', { name: entry.name });
  throwIfAborted(options.signal);
  const url = api.address(api.documentPath(where.id_d, 'file', RETOUR_FILE_FIELD, String(where.index)));
  const response = await api.request('GET', url, 'download', { signal: options.signal });
  const announced = Number(headerValue(response.headers, 'content-length') ?? Number.NaN);
  const written = await writeBodyToFile(response.body, destPath, options, {
    interrupted: (error, kept) =>
      new TransferError('transient', 'protocol.pastell.fetchInterrupted', { name: entry.name, bytes: kept, code: errorCodeOf(error) ?? 'UNKNOWN' }, { fixKey: 'protocol.pastell.fetchInterrupted.fix', cause: error }),
  });
  const { bytes } = written;
  const expected = entry.size ?? (Number.isFinite(announced) ? announced : undefined);
  if (expected !== undefined && bytes !== expected) {
    throw new TransferError('transient', 'protocol.pastell.sizeMismatch', { name: entry.name, bytes, expected }, { fixKey: 'protocol.pastell.sizeMismatch.fix' });
  }
  log.info('protocol.pastell.fetched', { name: entry.name, bytes, id_d: where.id_d });
  return written;
}

/** Deletes the document (a second time: already gone, nothing to do), or leaves it (`keep`). */
export async function acknowledgeRetour(api: PastellApi, entry: RemoteEntry, log: ProtocolLog): Promise<void> {
  if (api.settings.afterRetrieve.action !== 'delete') return;
  const where = parseEntryId(entry.id);
  if (where === undefined) throw new TransferError('permanent', 'protocol.pastell.notAnEntry', { name: entry.name });
  const response = await api.request('DELETE', api.address(api.documentPath(where.id_d)), 'delete', { expected: [200, 204, 404] });
  await response.body.dump();
  log.info('protocol.pastell.deleted', { name: entry.name, id_d: where.id_d });
}
