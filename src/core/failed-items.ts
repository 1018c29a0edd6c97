// failed/<scenario>/<item>/<name>: the files set aside (refused for good, duplicates, incomplete
// downloads), each with its reason, since when, and the command that sends it again. The reason and time
// are written (flushed) inside the queue item's folder before it is moved, so that the one rename that
// sets the file aside carries its record with it: a crash cannot leave one without the other.
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { getLang, type Lang } from '../i18n/index.js';
import { spoolPaths } from '../shared/paths.js';
import { syncDirectory, writeFileFlushed } from '../shared/durable-files.js';
import { notepadText } from '../shared/notepad-text.js';
import { copyableCommand } from './copyable-command.js';
import type { QueueItem } from './queue.js';

/** Hidden (no scan, no queue listing takes it), beside the file in its item folder. */
const RECORD = '.ordo-failed.json';
const REASON_SUFFIX = '.reason.txt';
const INCOMPLETE_SUFFIX = '.incomplete';

export type FailedStatus = 'failed' | 'duplicate' | 'incomplete' | 'unknown';

export interface FailedItem {
  scenario: string;
  /** The file's name. */
  file: string;
  /** Where it is now: failed/<scenario>/<item>/<name>. */
  path: string;
  /** Why it was set aside, in the current language; undefined when nothing says (a crash of an older version). */
  reason?: string;
  /** What to do about it, when the failure said (in the current language). */
  fix?: string;
  /** When it was set aside (ISO 8601). */
  since: string;
  status: FailedStatus;
  /** The command that sends it again, as it can be copied (absent for an incomplete download). */
  resendCommand?: string;
}

/** The reason and the fix are kept in every language: the record is read later, in its reader's. */
interface FailedRecord {
  status: 'failed' | 'duplicate';
  reasons: Record<Lang, string>;
  fixes?: Record<Lang, string>;
  time: string;
}

/** Where `item` goes when it is set aside. */
export function failedItemPath(root: string, scenario: string, item: QueueItem): string {
  return join(spoolPaths({ root }).failed(scenario), item.id, item.name);
}

/**
 * Moves a queue item to failed/<scenario>/<id>/ with its record (status, reason and fix, time) and, for
 * people who open the folder, `<name>.reason.txt` holding `why`. Returns the file's new path.
 */
export async function moveToFailed(
  root: string,
  scenario: string,
  item: QueueItem,
  ending: { status: 'failed' | 'duplicate'; reasons: Record<Lang, string>; fixes?: Record<Lang, string>; why: string; time: Date },
): Promise<string> {
  const record: FailedRecord = { status: ending.status, reasons: ending.reasons, ...(ending.fixes === undefined ? {} : { fixes: ending.fixes }), time: ending.time.toISOString() };
  await writeFileFlushed(join(item.dir, RECORD), `${JSON.stringify(record)}\n`);
  const path = failedItemPath(root, scenario, item);
  const dir = dirname(path);
  await mkdir(dirname(dir), { recursive: true });
  await rename(item.dir, dir);
  await syncDirectory(dirname(dir));
  await writeFile(`${path}${REASON_SUFFIX}`, notepadText(`${ending.why}\n`));
  return path;
}

/** `ordo send --config <file> --scenario <S> --force <path>`, quoted for this platform's shell. */
export function resendCommand(configFile: string, scenario: string, path: string): string {
  return copyableCommand(['ordo', 'send', '--config', configFile, '--scenario', scenario, '--force', path]);
}

/**
 * The item folder when `path` is a file set aside in `scenario`'s own failed/ folder. Such a file is
 * claimed (moved) back into the queue by `send`, never copied: the set-aside copy must not stay behind.
 */
export function setAsideItemDir(root: string, scenario: string, path: string): string | undefined {
  const rel = relative(spoolPaths({ root }).failed(scenario), resolve(path));
  const parts = rel.split(sep);
  if (parts.length !== 2 || parts[0] === '..' || parts[0] === '' || parts[0]?.startsWith('.')) return undefined;
  return dirname(resolve(path));
}

/** Removes what a set-aside item leaves once its file was claimed back (reason, record, folder). Best effort. */
export async function forgetSetAside(itemDir: string, name: string): Promise<void> {
  const left = await readdir(itemDir).catch(() => [] as string[]);
  // Anything else (another file put there by hand) keeps the folder.
  if (left.some((n) => n !== RECORD && n !== `${name}${REASON_SUFFIX}`)) return;
  await rm(itemDir, { recursive: true, force: true }).catch(() => undefined);
}

/** Everything set aside for these scenarios, oldest first, with the command that sends each again. */
export async function listFailedItems(config: { root: string; file: string }, scenarios: readonly string[]): Promise<FailedItem[]> {
  const items: FailedItem[] = [];
  for (const scenario of scenarios) {
    const base = spoolPaths(config).failed(scenario);
    const ids = (await readdir(base).catch(() => [] as string[])).filter((id) => !id.startsWith('.')).sort();
    for (const id of ids) items.push(...(await itemsIn(config, scenario, join(base, id))));
  }
  return items.sort((a, b) => a.since.localeCompare(b.since));
}

async function itemsIn(config: { file: string }, scenario: string, dir: string): Promise<FailedItem[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const record = await readRecord(join(dir, RECORD));
  const out: FailedItem[] = [];
  for (const file of names.filter((n) => !n.startsWith('.') && !n.endsWith(REASON_SUFFIX))) {
    const path = join(dir, file);
    const info = await stat(path).catch(() => undefined);
    if (info === undefined || !info.isFile()) continue;
    const note = await stat(`${path}${REASON_SUFFIX}`).then(
      async (s) => ({ time: s.mtime, text: (await readFile(`${path}${REASON_SUFFIX}`, 'utf8')).trim() }),
      () => undefined,
    );
    const incomplete = file.endsWith(INCOMPLETE_SUFFIX);
    const status: FailedStatus = incomplete ? 'incomplete' : (record?.status ?? 'unknown');
    const reason = record?.reasons[getLang()] ?? firstLine(note?.text);
    const fix = record?.fixes?.[getLang()];
    // Without a record (older versions): the reason file's date, else the time the file was moved (ctime).
    const since = record?.time ?? (note?.time ?? info.ctime).toISOString();
    const item: FailedItem = { scenario, file, path, since, status };
    if (reason !== undefined) item.reason = reason;
    if (fix !== undefined && fix !== '') item.fix = fix;
    if (!incomplete) item.resendCommand = resendCommand(config.file, scenario, path);
    out.push(item);
  }
  return out;
}

function firstLine(text: string | undefined): string | undefined {
  const line = text?.split('\n')[0]?.trim();
  return line === undefined || line === '' ? undefined : line;
}

async function readRecord(path: string): Promise<FailedRecord | undefined> {
  try {
    const value = JSON.parse(await readFile(path, 'utf8')) as Partial<FailedRecord>;
    if ((value.status === 'failed' || value.status === 'duplicate') && isTexts(value.reasons) && typeof value.time === 'string') {
      return { status: value.status, reasons: value.reasons, ...(isTexts(value.fixes) ? { fixes: value.fixes } : {}), time: value.time };
    }
  } catch {
    // Missing or cut: the reason file and the file's dates stand in.
  }
  return undefined;
}

function isTexts(value: unknown): value is Record<Lang, string> {
  return typeof value === 'object' && value !== null && typeof (value as Record<string, unknown>).en === 'string' && typeof (value as Record<string, unknown>).fr === 'string';
}


/** The queue path an item had before it was set aside (failed/<S>/<id>/<name> → queue/<S>/<id>/<name>). */
export function queuePathBefore(root: string, scenario: string, failedPath: string): string {
  return join(spoolPaths({ root }).queue(scenario), basename(dirname(failedPath)), basename(failedPath));
}

/** The failed/ path a queue item would have once set aside. */
export function failedPathAfter(root: string, scenario: string, queuePath: string): string {
  return join(spoolPaths({ root }).failed(scenario), basename(dirname(queuePath)), basename(queuePath));
}
