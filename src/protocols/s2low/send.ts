// Posting one PES Aller: `POST helios_importer_fichier.php`, multipart with the file as `enveloppe`,
// streamed. S²LOW answers `<import><id>TXID</id><resultat>OK</resultat>…` and the transaction is then
// followed (`follow`) until the Trésorerie's acquit. A file S²LOW already has (same SHA-1) is refused
// as a "doublon": after an answer lost on the way back, that is how a second send learns that the first
// one arrived — never a second transmission (docs/protocols/s2low.md, "A lost answer").
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { TransferError, type ProtocolLog, type Receipt, type SendItem, type TransferOptions } from '../contract.js';
import { requirePlainName } from '../common/folders.js';
import { checkPesAller } from '../common/pes-aller.js';
import { openUploadBody } from '../web/upload-body.js';
import type { S2lowApi } from './api.js';
import { childText } from '../common/xml.js';

const DOUBLON = 'doublon';
const NOT_RGS = 'rgs';

/** Transactions this session posted, by SHA-1: a doublon of one of them is that transaction. */
export type PostedBySha1 = Map<string, string>;

export async function postPes(api: S2lowApi, item: SendItem, options: TransferOptions, posted: PostedBySha1, log: ProtocolLog): Promise<Receipt> {
  const name = requirePlainName(item.name);
  if (api.settings.checkPes) await refuseNonPes(item);
  const url = api.address('import');
  const body = await openUploadBody(item, { fields: [], fileField: 'enveloppe' }, options.onProgress);
  log.info('protocol.s2low.uploading', { name, size: item.size, host: api.host });
  const response = await api.send({ method: 'POST', url, body, signal: options.signal });
  const answer = await api.readAnswer(response, url, true);
  if (answer.root !== 'import' || answer.ok === undefined) throw api.notS2low(url, answer.words, true);
  const transaction = (childText(answer.node, 'id') ?? '').trim();
  if (answer.ok && /^\d+$/.test(transaction)) {
    posted.set(await sha1Of(item.path), transaction);
    log.info('protocol.s2low.posted', { name, transaction });
    return { remoteId: transaction, state: 'pending', follow: { transaction }, detail: { transaction } };
  }
  if (answer.ok) {
    throw new TransferError('transient', 'protocol.s2low.noTransaction', { name, host: api.host }, { fixKey: 'protocol.s2low.noTransaction.fix', uncertain: true, serverMessage: answer.message });
  }
  const message = answer.message;
  const lower = message.toLowerCase();
  if (lower.includes(DOUBLON)) return alreadyPosted(item, name, message, posted, log);
  if (lower.includes(NOT_RGS)) {
    throw new TransferError('permanent', 'protocol.s2low.notRgs', { name, host: api.host, subject: api.certificate.subject }, { fixKey: 'protocol.s2low.notRgs.fix', connection: true, serverMessage: message });
  }
  throw new TransferError('permanent', 'protocol.s2low.importRefused', { name, host: api.host }, { fixKey: 'protocol.s2low.importRefused.fix', serverMessage: message });
}

/**
 * S²LOW already has this very file (same SHA-1). It gives no transaction number with the refusal, so
 * the file is followed only when this session posted it; otherwise it is delivered but its acquit is
 * not followed by ordo (a warning says where to find it).
 */
async function alreadyPosted(item: SendItem, name: string, message: string, posted: PostedBySha1, log: ProtocolLog): Promise<Receipt> {
  const sha1 = await sha1Of(item.path);
  const transaction = posted.get(sha1);
  if (transaction !== undefined) {
    log.info('protocol.s2low.doublonFollowed', { name, transaction });
    return { remoteId: transaction, state: 'pending', follow: { transaction }, detail: { transaction, doublon: message } };
  }
  log.warn('protocol.s2low.doublon', { name, sha1 });
  return { remoteId: `sha1:${sha1}`, state: 'acknowledged', detail: { doublon: message, sha1, acquit: 'not followed' } };
}

async function sha1Of(path: string): Promise<string> {
  const hash = createHash('sha1');
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** A file that is not a PES Aller (well-formed, root PES_Aller, NomFic, IdColl) is refused before it leaves: permanent. */
async function refuseNonPes(item: SendItem): Promise<void> {
  const check = await checkPesAller(item.path);
  const [first] = check.problems;
  if (first !== undefined) throw new TransferError('permanent', first.key, { ...first.params, name: item.name }, { fixKey: `${first.key}.fix` });
}
