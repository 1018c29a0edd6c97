// `tedeco` sending: the data file `fiNNNN.<ead>` first, then the request `rqNNNN.<ead>`, each written
// under a hidden temporary name and renamed without overwriting — the request last, so that the agent
// never sees a request without its data. A run killed in between leaves the data without its request;
// the next send of that same file completes the pair with the data already there.
import { lstat, open, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CounterStore } from '../../naming/counter-store.js';
import { isTransferError, TransferError, type ProtocolLog, type Receipt, type SendItem, type TransferOptions, type VerifyResult } from '../contract.js';
import { fileSystemError, isAlreadyThere, isMissing } from '../common/file-errors.js';
import { requirePlainName } from '../common/folders.js';
import { temporaryName } from '../../shared/temp-names.js';
import { placeWithoutOverwrite, removeQuietly } from '../common/publish.js';
import { sendToFolder } from '../common/folder-send.js';
import { abortError, throwIfAborted } from '../../shared/abort.js';
import { sha256File } from '../../shared/hash.js';
import { requireSpoolFolder } from './folders.js';
import { referenceYear, requestCounterName, sequenceCounterName, takeCounter, takeRequestNumber } from './numbers.js';
import { countRecords, tallyFile } from './records.js';
import { encodeRequest, nomficBytes, parseRequest, type RequestFields } from './request-file.js';
import { fillRfa } from './rfa.js';
import type { TedecoSettings } from './settings.js';
import { dataFileName, isOwnTemporary, numberKey, pairFileOf, readRequestFolder, requestFileName, type RequestFolder, type SpoolLayout } from './spool.js';

/** Everything the request side of a session works with. */
export interface RequestSide {
  settings: TedecoSettings;
  layout: SpoolLayout;
  profileName: string;
  /** Already the dry-run simulation under --dry-run. */
  counters: CounterStore;
  dryRun: boolean;
  log: ProtocolLog;
  now: () => Date;
}

/** A data file in the request folder: its number and name. */
interface DataFile {
  number: string;
  name: string;
}

/** The same number appearing in the folder while we publish: another writer with other counters. */
const MAX_NUMBER_CLASHES = 5;

export async function sendPair(side: RequestSide, item: SendItem, options: TransferOptions = {}): Promise<Receipt> {
  requirePlainName(item.name);
  throwIfAborted(options.signal);
  const folder = side.layout.requests;
  await requireSpoolFolder(folder, 'requests');
  const records = await recordsOf(side, item, options.signal);
  if (side.dryRun) return preview(side, item, records);
  const interrupted = await dataWithoutRequest(side, item);
  if (interrupted !== undefined) {
    side.log.info('protocol.tedeco.completing', { name: item.name, data: interrupted.name });
    await removeLinkedTemporaries(side.layout.requests, interrupted.name);
  }
  const data = interrupted ?? (await publishData(side, item, options));
  // From here the data is in the spool: finish the pair whatever the signal says (a request is small).
  return publishRequest(side, item, data, records);
}

/** var1 comes from here; a file that is not whole records is refused before anything is written. */
async function recordsOf(side: RequestSide, item: SendItem, signal: AbortSignal | undefined): Promise<number> {
  let tally;
  try {
    tally = await tallyFile(item.path, signal);
  } catch (error) {
    if (signal?.aborted === true) throw abortError(signal);
    if (isMissing(error)) throw new TransferError('permanent', 'protocol.local.sourceMissing', { path: item.path }, { cause: error });
    throw fileSystemError(error, item.path);
  }
  const count = countRecords(tally, side.settings.recordLength);
  if (!count.whole) {
    throw new TransferError('permanent', 'protocol.tedeco.partialRecord', {
      name: item.name,
      size: tally.size,
      separators: tally.separatorBytes,
      payload: count.payload,
      recordLength: side.settings.recordLength,
      records: count.records,
      rest: count.rest,
    }, { fixKey: 'protocol.tedeco.partialRecord.fix' });
  }
  return count.records;
}

/** --dry-run: the numbers the request would get (counters peeked, never taken), nothing written. */
async function preview(side: RequestSide, item: SendItem, records: number): Promise<Receipt> {
  const listing = await readListing(side);
  const number = await takeRequestNumber(side.counters, side.settings.ead, numbersInUse(listing), side.log);
  const fields = await requestFields(side, item, { number, name: dataFileName(number, side.settings.ead) }, records);
  return receipt(fields);
}

async function publishData(side: RequestSide, item: SendItem, options: TransferOptions): Promise<DataFile> {
  const { ead } = side.settings;
  const inUse = numbersInUse(await readListing(side));
  const target = { target: side.layout.requests, inbox: undefined, afterRetrieve: { action: 'delete' as const }, filter: ['*'] };
  for (let clash = 0; ; clash += 1) {
    const number = await takeRequestNumber(side.counters, ead, inUse, side.log);
    const name = dataFileName(number, ead);
    try {
      await sendToFolder(target, { ...item, name }, options, side.log);
      return { number, name };
    } catch (error) {
      if (!isTransferError(error) || error.key !== 'protocol.local.exists' || clash >= MAX_NUMBER_CLASHES) throw error;
      inUse.add(numberKey(number));
      side.log.warn('protocol.tedeco.numberInUse', { number, counter: requestCounterName(ead) });
    }
  }
}

async function publishRequest(side: RequestSide, item: SendItem, data: DataFile, records: number): Promise<Receipt> {
  const folder = side.layout.requests;
  const fields = await requestFields(side, item, data, records);
  const { bytes, replaced } = encodeRequest(fields);
  if (replaced.length > 0) side.log.warn('protocol.tedeco.charactersReplaced', { name: item.name, chars: [...new Set(replaced)].join(' ') });
  const finalPath = join(folder, requestFileName(data.number, side.settings.ead));
  const tempPath = join(folder, temporaryName(requestFileName(data.number, side.settings.ead)));
  await writeFlushed(tempPath, bytes, folder);
  try {
    if (!(await placeWithoutOverwrite(tempPath, finalPath))) side.log.warn('protocol.local.tempLeft', { path: tempPath });
  } catch (error) {
    await removeQuietly(tempPath);
    if (!isAlreadyThere(error)) throw fileSystemError(error, finalPath, { uncertain: true });
    return requestAlreadyThere(side, item, data, finalPath);
  }
  return receipt(fields);
}

/**
 * Someone published this request first. When its data is exactly our file, another run completed the
 * same pair (the same file sent twice at once): it is delivered. Otherwise a writer with other
 * counters uses our number, and our data must not travel under its request.
 */
async function requestAlreadyThere(side: RequestSide, item: SendItem, data: DataFile, requestPath: string): Promise<Receipt> {
  const dataPath = join(side.layout.requests, data.name);
  if (await holdsFile(dataPath, item)) {
    side.log.info('protocol.tedeco.completedElsewhere', { name: item.name, request: requestFileName(data.number, side.settings.ead) });
    return { remoteId: requestFileName(data.number, side.settings.ead), state: 'acknowledged', detail: { data: data.name } };
  }
  await removeQuietly(dataPath);
  throw new TransferError('transient', 'protocol.tedeco.requestClash', { request: requestPath, data: data.name }, { fixKey: 'protocol.tedeco.requestClash.fix' });
}

async function requestFields(side: RequestSide, item: SendItem, data: DataFile, records: number): Promise<RequestFields> {
  const { settings, profileName } = side;
  const now = side.now();
  const nomfic = item.name.normalize('NFC');
  const year = referenceYear(settings, item.name, now);
  const sequence = await takeCounter(side.counters, sequenceCounterName(settings, profileName, year), side.log);
  const variables = settings.type === 'etatcivil' ? { var1: records, var2: sequence } : { var3: year, var4: sequence };
  const pad = (value: number): string => String(value).padStart(2, '0');
  const rfa = fillRfa(settings.rfa, {
    nomfic,
    numreq: data.number,
    ead: settings.ead,
    alias: settings.alias,
    annee: String(now.getFullYear()),
    mois: pad(now.getMonth() + 1),
    jour: pad(now.getDate()),
    ...Object.fromEntries(Object.entries(variables).map(([key, value]) => [key, String(value)])),
  });
  return {
    request: data.number,
    data: data.name,
    alias: settings.alias,
    ead: settings.ead,
    type: settings.type,
    rfa,
    compression: settings.compression,
    recordLength: settings.recordLength,
    nomfic,
    size: item.size,
    ...variables,
  };
}

function receipt(fields: RequestFields): Receipt {
  const detail: Record<string, string | number> = { data: fields.data, rfa: fields.rfa };
  for (const key of ['var1', 'var2', 'var3', 'var4'] as const) {
    const value = fields[key];
    if (value !== undefined) detail[key] = value;
  }
  return { remoteId: requestFileName(fields.request, fields.ead), state: 'acknowledged', detail };
}

/** A data file holding exactly this content whose request was never written (an interrupted run). */
async function dataWithoutRequest(side: RequestSide, item: SendItem): Promise<DataFile | undefined> {
  const listing = await readListing(side);
  for (const [key, name] of listing.data) {
    if (listing.requests.has(key)) continue;
    // Always a pair file: the listing holds only the names pairFileOf accepted.
    const file = pairFileOf(name, side.settings.ead);
    if (file !== undefined && (await holdsFile(join(side.layout.requests, name), item))) {
      return { number: file.digits, name };
    }
  }
  return undefined;
}

/** present: a complete pair in the spool whose request names this file and whose data is exactly it. */
export async function verifyPair(side: RequestSide, item: SendItem): Promise<VerifyResult> {
  requirePlainName(item.name);
  const folder = side.layout.requests;
  let listing: RequestFolder;
  try {
    listing = await readRequestFolder(folder, side.settings.ead);
  } catch (error) {
    if (isMissing(error)) return 'absent';
    throw fileSystemError(error, folder, { folderLevel: true });
  }
  const wanted = nomficBytes(item.name);
  for (const [key, requestName] of listing.requests) {
    const dataName = listing.data.get(key);
    if (dataName === undefined) continue;
    const request = await readFile(join(folder, requestName)).catch(() => undefined);
    if (request === undefined || !parseRequest(request).get('nomfic')?.equals(wanted)) continue;
    if (await holdsFile(join(folder, dataName), item)) return 'present';
  }
  return 'absent';
}

async function readListing(side: RequestSide): Promise<RequestFolder> {
  try {
    return await readRequestFolder(side.layout.requests, side.settings.ead);
  } catch (error) {
    throw fileSystemError(error, side.layout.requests, { folderLevel: true });
  }
}

function numbersInUse(listing: RequestFolder): Set<string> {
  return new Set([...listing.requests.keys(), ...listing.data.keys()]);
}

/** Size first (cheap), then sha256 — never "the same" on a name alone. */
async function holdsFile(path: string, item: SendItem): Promise<boolean> {
  const expected = item.sha256.trim().toLowerCase();
  if (expected === '') return false;
  try {
    const info = await lstat(path);
    if (!info.isFile() || info.size !== item.size) return false;
    return (await sha256File(path)) === expected;
  } catch (error) {
    if (isMissing(error)) return false;
    throw fileSystemError(error, path);
  }
}

/**
 * A run killed between the hard link that published `name` and the removal of its temporary name
 * leaves that hidden name behind, still the same file: remove it, it is provably ours and done.
 */
async function removeLinkedTemporaries(folder: string, name: string): Promise<void> {
  const published = await lstat(join(folder, name)).catch(() => undefined);
  if (published === undefined) return;
  const names = await readdir(folder).catch(() => [] as string[]);
  for (const candidate of names.filter((entry) => entry.startsWith(`.${name}.`) && isOwnTemporary(entry))) {
    const info = await lstat(join(folder, candidate)).catch(() => undefined);
    if (info !== undefined && info.ino === published.ino && info.dev === published.dev) await removeQuietly(join(folder, candidate));
  }
}

async function writeFlushed(path: string, bytes: Buffer, folder: string): Promise<void> {
  let handle;
  try {
    handle = await open(path, 'wx');
  } catch (error) {
    throw fileSystemError(error, folder, { folderLevel: true });
  }
  try {
    await handle.writeFile(bytes);
    await handle.sync();
    await handle.close();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await removeQuietly(path);
    throw fileSystemError(error, path);
  }
}
