// Sending one file through Pastell takes four requests, each reported through `onStep` (and journaled
// by the engine) before the next: create the document, set its fields (form-urlencoded PATCH), upload
// the file into its file field, trigger the sending action. A send resumed after a crash or a cut
// continues the same document from the step after the last one done, after reading the document's
// real state: an action already triggered is never triggered again, a file already there is not
// uploaded again. docs/protocols/pastell.md, "What a send does".
import { createHash } from 'node:crypto';
import { throwIfAborted } from '../../shared/abort.js';
import { isTransferError, TransferError, type ProtocolLog, type Receipt, type SendItem, type SendSteps, type TransferOptions } from '../contract.js';
import { requirePlainName } from '../common/folders.js';
import { checkPesAller } from '../common/pes-aller.js';
import { openUploadBody } from '../web/upload-body.js';
import type { DocumentDetail, DocumentRow, FormAnswer, PastellApi } from './api.js';
import { EDITABLE_STATES } from './presets.js';
import { fieldValue } from './field-values.js';

/** The largest PES Pastell takes in `fichier_pes` (Pastell 4.1). */
export const PES_MAX_BYTES = 128 * 1024 * 1024;
/** Document titles are cut to this many characters. */
export const SUBJECT_MAX = 250;

/** The steps of a send, in order; `creating` is reported before the create request (a document may exist after it). */
export const STEPS = ['creating', 'created', 'fields', 'file', 'action'] as const;
export type Step = (typeof STEPS)[number];

export async function sendDocument(api: PastellApi, item: SendItem, options: TransferOptions, log: ProtocolLog): Promise<Receipt> {
  const name = requirePlainName(item.name);
  throwIfAborted(options.signal);
  const { preset, entity } = api.settings;
  const { signal } = options;
  const nomFic = preset.pes ? await requirePesAller(item) : undefined;
  const subject = documentSubject(api.settings.subject, name, nomFic);
  const resume = item.resume;
  const resumedStep = typeof resume?.step === 'string' ? resume.step : undefined;
  const report = async (step: Step, facts: SendSteps = {}): Promise<void> => {
    const reported: SendSteps = { step, id_e: entity, type: preset.documentType, ...facts };
    log.info('protocol.pastell.step', { name, step, id_d: String(facts.id_d ?? '—') });
    await options.onStep?.(reported);
  };

  let id_d = typeof resume?.id_d === 'string' && resume.id_d !== '' ? resume.id_d : undefined;
  let detail: DocumentDetail | undefined;
  if (id_d !== undefined) {
    detail = await documentDetail(api, id_d, signal);
    if (detail === undefined || detail.info.type !== preset.documentType) {
      log.warn('protocol.pastell.resumeGone', { name, id_d });
      id_d = undefined;
      detail = undefined;
    } else {
      log.info('protocol.pastell.resumed', { name, id_d, step: resumedStep ?? '—', state: detail.last_action.action });
    }
  } else if (resumedStep === 'creating') {
    // The create request left, its answer was never journaled: the document may exist, untitled.
    detail = await findUnfinished(api, subject, name, signal);
    if (detail !== undefined) {
      id_d = detail.info.id_d;
      log.warn('protocol.pastell.adopted', { name, id_d });
      await report('created', { id_d });
    }
  }

  if (id_d === undefined || detail === undefined) {
    await report('creating', { at: Date.now() });
    const created = await api.json<DocumentDetail & { id_d?: string }>('POST', api.address(api.documentPath(), [['type', preset.documentType]]), 'create', { form: [['type', preset.documentType]], signal });
    id_d = created.id_d ?? created.info.id_d;
    detail = created;
    await report('created', { id_d });
  }

  if (!EDITABLE_STATES.includes(detail.last_action.action)) {
    // The action was triggered by an earlier attempt whose answer was lost.
    log.info('protocol.pastell.alreadyTriggered', { name, id_d, state: detail.last_action.action });
    return pendingReceipt(api, id_d, subject);
  }
  const resumedHere = resume !== undefined && resume.id_d === id_d;
  const done = (step: Step): boolean => resumedHere && resumedStep !== undefined && STEPS.indexOf(resumedStep as Step) >= STEPS.indexOf(step);
  const documentUrl = api.address(api.documentPath(id_d));

  if (!done('fields') || detail.info.titre !== subject) {
    const form: Array<[string, string]> = [['objet', subject], ...api.settings.fields.map(([field, value]): [string, string] => [field, fieldValue(value, name, api.settings.profileName, new Date())])];
    const answer = await api.json<FormAnswer>('PATCH', documentUrl, 'fields', { form, signal });
    if (answer.result !== 'ok') throw unexpected(api, 'fields', answer);
    if (answer.content !== undefined) detail = answer.content;
    await report('fields', { id_d });
  }

  if (!fileNames(detail, preset.fileField).includes(name)) {
    const body = await openUploadBody(item, { fields: [['file_name', name]], fileField: 'file_content' }, options.onProgress);
    const answer = await api.json<FormAnswer>('POST', api.address(api.documentPath(id_d, 'file', preset.fileField)), 'file', { body, signal });
    if (answer.result !== 'ok') throw unexpected(api, 'file', answer);
    if (answer.formulaire_ok === 0) {
      throw new TransferError('permanent', 'protocol.pastell.formIncomplete', { name, id_d, type: preset.documentType }, { fixKey: 'protocol.pastell.formIncomplete.fix', serverMessage: answer.message ?? '' });
    }
    await report('file', { id_d });
  } else {
    log.info('protocol.pastell.fileThere', { name, id_d });
  }

  try {
    await api.json<{ result: unknown; message?: string }>('POST', api.address(api.documentPath(id_d, 'action', preset.action)), 'action', { form: [], signal });
  } catch (error) {
    if (!isTransferError(error) || !isDoublon(error)) throw error;
    // S²LOW already has this very file (same SHA-1): sent by an earlier attempt whose answer was lost.
    const original = await findSent(api, subject, name, id_d, signal);
    if (original === undefined) {
      throw new TransferError('permanent', 'protocol.pastell.alreadyPosted', { name, id_d }, { fixKey: 'protocol.pastell.alreadyPosted.fix', ...(error.serverMessage === undefined ? {} : { serverMessage: error.serverMessage }) });
    }
    log.warn('protocol.pastell.doublon', { name, id_d, original: original.info.id_d });
    // The second document (in tdt-error now) is ours and useless: removed, so that only the first remains.
    await api.request('DELETE', documentUrl, 'delete', { signal, expected: [200, 204, 404] }).then(
      (response) => response.body.dump(),
      () => undefined,
    );
    await report('action', { id_d: original.info.id_d });
    return pendingReceipt(api, original.info.id_d, subject);
  }
  await report('action', { id_d });
  return pendingReceipt(api, id_d, subject);
}

function pendingReceipt(api: PastellApi, id_d: string, subject: string): Receipt {
  const { entity, preset } = api.settings;
  return {
    remoteId: id_d,
    state: 'pending',
    follow: { id_e: entity, id_d, type: preset.documentType },
    detail: { id_e: entity, id_d, type: preset.documentType, subject },
  };
}

/** The PES's NomFic; a file that is no PES Aller Pastell can take is refused before anything is created. */
async function requirePesAller(item: SendItem): Promise<string | undefined> {
  const check = await checkPesAller(item.path, { maxBytes: PES_MAX_BYTES });
  const [first] = check.problems;
  if (first !== undefined) throw new TransferError('permanent', first.key, { ...first.params, name: item.name }, { fixKey: `${first.key}.fix` });
  return check.found.nomFic;
}

/**
 * The document's title: the `subject` template (`{name}`, `{stem}`, `{nomfic}`), else the PES's
 * NomFic, else the file name without its extension; control characters and runs of spaces removed,
 * at most SUBJECT_MAX characters.
 */
export function documentSubject(template: string | undefined, name: string, nomFic: string | undefined): string {
  const stem = name.replace(/\.[^.]*$/, '') || name;
  const raw = template === undefined ? (nomFic ?? stem) : template.replaceAll('{name}', name).replaceAll('{stem}', stem).replaceAll('{nomfic}', nomFic ?? stem);
  const clean = raw.replace(/[\u0000-\u001f\u007f]/g, ' ').replace(/\s+/g, ' ').trim();
  const subject = clean === '' ? stem : clean;
  // Cut in UTF-16 units, never in the middle of a surrogate pair.
  return subject.length <= SUBJECT_MAX ? subject : subject.slice(0, SUBJECT_MAX).replace(/[\uD800-\uDBFF]$/, '');
}

export function fileNames(detail: DocumentDetail, field: string): string[] {
  const value = detail.data[field];
  return Array.isArray(value) ? value : typeof value === 'string' && value !== '' ? [value] : [];
}

function isDoublon(error: TransferError): boolean {
  return error.key === 'protocol.pastell.actionRefused' && /doublon/i.test(error.serverMessage ?? '');
}

function unexpected(api: PastellApi, exchange: string, answer: unknown): TransferError {
  return new TransferError('transient', 'protocol.pastell.unexpectedAnswer', { host: api.host, exchange }, { fixKey: 'protocol.pastell.unexpectedAnswer.fix', serverMessage: JSON.stringify(answer).slice(0, 300), uncertain: true });
}

/** The document, or undefined when Pastell no longer has it (404). */
export async function documentDetail(api: PastellApi, id_d: string, signal: AbortSignal | undefined, id_e = api.settings.entity): Promise<DocumentDetail | undefined> {
  try {
    return await api.json<DocumentDetail>('GET', api.address(api.documentPathIn(id_e, id_d)), 'detail', { signal });
  } catch (error) {
    if (isTransferError(error) && error.key === 'protocol.pastell.notFound') return undefined;
    throw error;
  }
}

/** Documents of the preset's type, newest first (Pastell sorts by the date of the last state). */
async function listDocuments(api: PastellApi, query: Array<[string, string]>, signal: AbortSignal | undefined): Promise<DocumentRow[]> {
  const rows = await api.json<unknown>('GET', api.address(api.documentPath(), [['type', api.settings.preset.documentType], ...query, ['limit', '100']]), 'list', { signal });
  return Array.isArray(rows) ? (rows as DocumentRow[]) : [];
}

/**
 * After a create whose answer was never journaled: the one document of the type still in `creation`,
 * untitled (or titled as this send) and without another file, if there is exactly one.
 */
async function findUnfinished(api: PastellApi, subject: string, name: string, signal: AbortSignal | undefined): Promise<DocumentDetail | undefined> {
  const rows = (await listDocuments(api, [['lastetat', 'creation']], signal)).filter((row) => row.titre === '' || row.titre === subject).slice(0, 10);
  const candidates: DocumentDetail[] = [];
  for (const row of rows) {
    const detail = await documentDetail(api, row.id_d, signal);
    if (detail === undefined) continue;
    const files = fileNames(detail, api.settings.preset.fileField);
    if (files.length === 0 || files.includes(name)) candidates.push(detail);
  }
  return candidates.length === 1 ? candidates[0] : undefined;
}

/** A document titled `subject`, holding `name`, whose sending action was triggered (other than `except`). */
async function findSent(api: PastellApi, subject: string, name: string, except: string, signal: AbortSignal | undefined): Promise<DocumentDetail | undefined> {
  const rows = (await listDocuments(api, [['search', subject]], signal)).filter((row) => row.titre === subject && row.id_d !== except && !EDITABLE_STATES.includes(row.last_action));
  for (const row of rows) {
    const detail = await documentDetail(api, row.id_d, signal);
    if (detail !== undefined && fileNames(detail, api.settings.preset.fileField).includes(name) && !api.settings.preset.errorStates.includes(detail.last_action.action)) return detail;
  }
  return undefined;
}

/**
 * `present` when a document titled as this send holds exactly this file (same sha256, downloaded and
 * hashed) and its sending action was triggered; `absent` otherwise.
 */
export async function verifySent(api: PastellApi, item: SendItem): Promise<'present' | 'absent'> {
  const name = requirePlainName(item.name);
  const nomFic = api.settings.preset.pes ? (await checkPesAller(item.path).catch(() => undefined))?.found.nomFic : undefined;
  const subject = documentSubject(api.settings.subject, name, nomFic);
  const rows = (await listDocuments(api, [['search', subject]], undefined)).filter((row) => row.titre === subject && !EDITABLE_STATES.includes(row.last_action));
  for (const row of rows) {
    const detail = await documentDetail(api, row.id_d, undefined);
    if (detail === undefined || !fileNames(detail, api.settings.preset.fileField).includes(name)) continue;
    const index = fileNames(detail, api.settings.preset.fileField).indexOf(name);
    const response = await api.request('GET', api.address(api.documentPath(row.id_d, 'file', api.settings.preset.fileField, String(index))), 'download');
    const hash = createHash('sha256');
    for await (const chunk of response.body) hash.update(chunk as Buffer);
    if (hash.digest('hex') === item.sha256) return 'present';
  }
  return 'absent';
}
