// Following a document Pastell accepted: its last state says where it stands. The TdT's answer comes
// with the preset's end states (info-tdt / acquiter-tdt, termine…): `etat_ack` 1 is an acknowledgement,
// 2 a refusal whose reason is written in the acquit; refus-tdt is a refusal; tdt-error an error on the
// TdT's side. The acquit (PES Acquit) is downloaded to the engine's partial file, flushed.
import { readFile } from 'node:fs/promises';
import { readAcquit } from '../common/pes-acquit.js';
import { TransferError, type FollowResult, type PendingSend, type ProtocolLog, type TransferOptions } from '../contract.js';
import { writeBodyToFile } from '../web/body-to-file.js';
import { networkFailure } from '../web/errors.js';
import { headerValue } from '../web/answers.js';
import type { DocumentDetail, PastellApi } from './api.js';
import { documentDetail, fileNames } from './send.js';

/** An acquit larger than this is not read for its reason (it is still kept whole). */
const REASON_READ_LIMIT = 4 * 1024 * 1024;

export async function followDocument(api: PastellApi, pending: PendingSend, receiptPath: string, options: TransferOptions, log: ProtocolLog): Promise<FollowResult> {
  const id_d = String(pending.follow.id_d ?? pending.remoteId);
  const id_e = String(pending.follow.id_e ?? api.settings.entity);
  const detail = await documentDetail(api, id_d, options.signal, id_e);
  if (detail === undefined) return { state: 'failed', key: 'protocol.pastell.documentGone', params: { name: pending.name, id_d }, fixKey: 'protocol.pastell.documentGone.fix' };
  const { preset } = api.settings;
  const state = detail.last_action.action;
  const message = detail.last_action.message;
  const facts = { id_d, state };
  log.debug('protocol.pastell.followed', { name: pending.name, id_d, state });
  if (preset.errorStates.includes(state)) {
    const doublon = /doublon/i.test(message);
    return {
      state: 'failed',
      key: doublon ? 'protocol.pastell.tdtDoublon' : 'protocol.pastell.tdtError',
      params: { name: pending.name, id_d, state },
      fixKey: doublon ? 'protocol.pastell.tdtDoublon.fix' : 'protocol.pastell.tdtError.fix',
      serverMessage: message,
    };
  }
  const acknowledged = preset.acknowledgedStates.includes(state);
  const refused = preset.refusedStates.includes(state);
  if (!acknowledged && !refused) return { state: 'pending', detail: facts };
  const receipt = await downloadReceipt(api, id_e, detail, receiptPath, options);
  const ack = preset.ackField === undefined ? undefined : detail.data[preset.ackField];
  if (refused || ack === '2') {
    const reason = (receipt === undefined ? undefined : await acquitReason(receiptPath)) ?? message;
    return { state: 'refused', reason, ...(receipt === undefined ? {} : { receipt }), detail: facts };
  }
  return { state: 'acknowledged', ...(receipt === undefined ? {} : { receipt }), detail: { ...facts, ...(typeof ack === 'string' ? { etat_ack: ack } : {}) } };
}

/** The receipt field's file, written to `receiptPath` and flushed; undefined when the document has none. */
async function downloadReceipt(api: PastellApi, id_e: string, detail: DocumentDetail, receiptPath: string, options: TransferOptions): Promise<{ name: string; bytes: number } | undefined> {
  const field = api.settings.preset.receiptField;
  if (field === undefined) return undefined;
  const [stored] = fileNames(detail, field);
  if (stored === undefined) return undefined;
  const url = api.address(api.documentPathIn(id_e, detail.info.id_d, 'file', field, '0'));
  const response = await api.request('GET', url, 'download', { signal: options.signal });
  const name = attachmentName(headerValue(response.headers, 'content-disposition')) ?? stored;
  const { bytes } = await writeBodyToFile(response.body, receiptPath, { signal: options.signal }, {
    interrupted: (error) => networkFailure(error, api.client.failureContext(url, false)),
  });
  const announced = Number(headerValue(response.headers, 'content-length') ?? Number.NaN);
  if (Number.isFinite(announced) && announced !== bytes) {
    throw new TransferError('transient', 'protocol.pastell.receiptTruncated', { id_d: detail.info.id_d, bytes, expected: announced }, { fixKey: 'protocol.pastell.receiptTruncated.fix' });
  }
  return { name: plainName(name) ?? plainName(stored) ?? `${detail.info.id_d}_ACK.xml`, bytes };
}

/** `attachment; filename="X"` → X. */
function attachmentName(disposition: string | undefined): string | undefined {
  // Pastell (PHP) writes the name's UTF-8 bytes as they are; HTTP clients read header bytes as latin1.
  const text = disposition ?? '';
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(text)?.[1];
  if (encoded !== undefined) {
    try {
      return decodeURIComponent(encoded);
    } catch {
      return undefined;
    }
  }
  return /filename="?([^";]+)"?/i.exec(Buffer.from(text, 'latin1').toString('utf8'))?.[1];
}

/** The last path segment of a name a server gave, when it is a usable file name. */
function plainName(name: string): string | undefined {
  const last = name.split(/[/\\]/).pop()?.trim() ?? '';
  return last === '' || last === '.' || last === '..' || /[\u0000-\u001f]/.test(last) ? undefined : last;
}

/** The acquit's reasons, as written, joined; undefined when there is none. */
export async function acquitReason(path: string): Promise<string | undefined> {
  return readAcquit((await readFile(path)).subarray(0, REASON_READ_LIMIT)).reason;
}
