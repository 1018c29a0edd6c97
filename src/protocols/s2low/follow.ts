// Following a posted PES: `helios_transac_get_status.php?transaction=TXID`. 4 (acquitté), 6 (refusé) and
// 8 (information disponible) mean the PES Acquit can be downloaded (S²LOW reports 3 until it has stored
// it): it is written to the engine's receipt file and its EtatAck read — 1 accepted, 2 refused with the
// acquit's reason. -1 is an error at S²LOW, with its message. Every other status is still pending.
import { readFile } from 'node:fs/promises';
import { throwIfAborted } from '../../shared/abort.js';
import { TransferError, type FollowResult, type PendingSend, type ProtocolLog, type TransferOptions } from '../contract.js';
import { headerValue } from '../web/answers.js';
import { writeBodyToFile } from '../web/body-to-file.js';
import { errorCodeOf } from '../web/errors.js';
import { dropAnswer, type S2lowApi } from './api.js';
import { childText } from '../common/xml.js';
import { readAcquit } from '../common/pes-acquit.js';

/** S²LOW's statuses (src/Enum/HeliosStatus.php), for messages and details. */
export const S2LOW_STATUSES: Readonly<Record<number, string>> = {
  [-1]: 'ERREUR',
  0: 'ANNULE',
  1: 'POSTE',
  2: 'EN_ATTENTE',
  3: 'TRANSMIS',
  4: 'ACQUITTE',
  5: 'VALIDE',
  6: 'REFUSE',
  7: 'EN_TRAITEMENT',
  8: 'INFORMATION_DISPONIBLE',
  9: 'ENVOYE_AU_SAE',
  10: 'ACCEPTE_PAR_SAE',
  11: 'REFUSE_PAR_SAE',
  13: 'ATTENTE_SIGNEE',
  14: 'ATTENTE_POSTEE',
  19: 'EN_ATTENTE_TRANSMISSION_SAE',
  20: 'ERREUR_LORS_DE_L_ENVOI_SAE',
  22: 'DETRUITE',
  24: 'TRANSMIS_SANS_ACK',
};

const ACQUIT_AVAILABLE = new Set([4, 6, 8]);
/** After archiving (sent to, accepted or refused by the SAE): the acquit came before; S²LOW may still serve it. */
const ARCHIVED = new Set([9, 10, 11, 19, 20]);
/** Cancelled or destroyed: the file will never be transmitted. */
const ENDED_WITHOUT_ACQUIT = new Set([0, 22]);
/** Transmitted to a Trésorerie that sends no acquit. */
const TRANSMITTED_WITHOUT_ACK = 24;
/** A PES Acquit is a few kilobytes; one this large is not an acquit. */
const ACQUIT_LIMIT = 16 * 1024 * 1024;

export async function followTransaction(api: S2lowApi, pending: PendingSend, receiptPath: string, options: TransferOptions, log: ProtocolLog): Promise<FollowResult> {
  const transaction = String(pending.follow.transaction ?? '').trim();
  if (!/^\d+$/.test(transaction)) {
    return { state: 'failed', key: 'protocol.s2low.noTransactionToFollow', params: { name: pending.name }, fixKey: 'protocol.s2low.noTransactionToFollow.fix' };
  }
  throwIfAborted(options.signal);
  const answer = await api.getXml('status', 'transaction', { transaction }, { signal: options.signal });
  const statusText = (childText(answer.node, 'status') ?? '').trim();
  if (answer.ok !== true || !/^-?\d+$/.test(statusText)) {
    // S²LOW does not know the transaction (or not for this account): following it again will not help.
    return { state: 'failed', key: 'protocol.s2low.statusRefused', params: { name: pending.name, transaction, host: api.host }, fixKey: 'protocol.s2low.statusRefused.fix', serverMessage: answer.message };
  }
  const status = Number(statusText);
  const label = S2LOW_STATUSES[status] ?? String(status);
  log.debug('protocol.s2low.status', { name: pending.name, transaction, status, label });
  if (status === -1) {
    return { state: 'failed', key: 'protocol.s2low.transactionError', params: { name: pending.name, transaction }, fixKey: 'protocol.s2low.transactionError.fix', serverMessage: answer.message };
  }
  if (ENDED_WITHOUT_ACQUIT.has(status)) {
    return { state: 'failed', key: 'protocol.s2low.transactionEnded', params: { name: pending.name, transaction, status, label }, fixKey: 'protocol.s2low.transactionEnded.fix' };
  }
  if (status === TRANSMITTED_WITHOUT_ACK) return { state: 'acknowledged', detail: { transaction, status, label, acquit: 'none' } };
  if (!ACQUIT_AVAILABLE.has(status) && !ARCHIVED.has(status)) return { state: 'pending', detail: { transaction, status, label } };

  const bytes = await downloadAcquit(api, transaction, receiptPath, options, ARCHIVED.has(status));
  if (bytes === undefined) {
    // Archived, and S²LOW no longer serves the acquit: said, never left pending for ever.
    return { state: 'failed', key: 'protocol.s2low.archivedWithoutAcquit', params: { name: pending.name, transaction, status, label }, fixKey: 'protocol.s2low.archivedWithoutAcquit.fix' };
  }
  const receipt = { name: acquitName(pending.name), bytes };
  const verdict = readAcquit(await readFile(receiptPath));
  const detail = { transaction, status, label, ...(verdict.etatAck === undefined ? {} : { etatAck: verdict.etatAck }) };
  if (status === 6 || verdict.etatAck === '2') {
    return { state: 'refused', reason: verdict.reason ?? `S²LOW ${label}`, receipt, detail };
  }
  if (verdict.etatAck === undefined) {
    // 4 or 8 with a file that says nothing readable: kept, and said, rather than guessed.
    log.warn('protocol.s2low.acquitUnread', { name: pending.name, transaction });
  }
  return { state: 'acknowledged', receipt, detail };
}

/** `<PES file name without .xml>_ACK.xml`, as Pastell names the acquits it stores. */
export function acquitName(name: string): string {
  return `${name.replace(/\.xml$/i, '')}_ACK.xml`;
}

/** The acquit's size once written; undefined when S²LOW redirects and `redirectMeansGone` (an archived transaction). */
async function downloadAcquit(api: S2lowApi, transaction: string, receiptPath: string, options: TransferOptions, redirectMeansGone: boolean): Promise<number | undefined> {
  const url = api.address('acquit', { id: transaction });
  const response = await api.send({ method: 'GET', url, signal: options.signal });
  if (response.statusCode >= 300 && response.statusCode < 400 && redirectMeansGone) {
    dropAnswer(response);
    return undefined;
  }
  if (response.statusCode >= 300 && response.statusCode < 400) {
    // S²LOW redirects when it cannot serve the acquit: it said 4/6/8, so it should have it soon.
    dropAnswer(response);
    throw new TransferError('transient', 'protocol.s2low.acquitRedirected', { transaction, host: api.host, location: headerValue(response.headers, 'location') ?? '—' }, { fixKey: 'protocol.s2low.acquitRedirected.fix' });
  }
  if (response.statusCode !== 200) throw await api.statusError(response, url);
  const { bytes } = await writeBodyToFile(response.body, receiptPath, { signal: options.signal }, {
    limit: { bytes: ACQUIT_LIMIT, error: () => new TransferError('permanent', 'protocol.web.answerTooLarge', { host: api.host, limit: ACQUIT_LIMIT }, { fixKey: 'protocol.web.answerTooLarge.fix' }) },
    interrupted: (error) =>
      new TransferError('transient', 'protocol.s2low.acquitInterrupted', { transaction, host: api.host, code: errorCodeOf(error) ?? 'UNKNOWN' }, { fixKey: 'protocol.s2low.acquitInterrupted.fix', cause: error }),
  });
  return bytes;
}
