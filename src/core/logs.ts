// `ordo logs`: show the transcript of the last run or of a given day; purge day logs by age.
// last.log is never purged: it is the last run's transcript, rewritten by every run.
import { readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { OrdoConfig } from '../config/model.js';
import { ExitCode, OrdoError, UsageError, type ExitCodeValue } from '../shared/errors.js';
import { spoolPaths } from '../shared/paths.js';

export interface LogText {
  /** The file shown. */
  file: string;
  /** AAAAMMJJ when a day log was asked for. */
  date?: string;
  text: string;
}

export interface PurgedLog {
  file: string;
  /** AAAAMMJJ from its name. */
  date: string;
}

export interface PurgeResult {
  dryRun: boolean;
  olderThanMs: number;
  /** Day logs whose whole day ended before this time are removed. */
  cutoff: string;
  removed: PurgedLog[];
  /** Day logs that could not be removed, with the system's reason. */
  failed: Array<PurgedLog & { reason: string }>;
  kept: number;
  exitCode: ExitCodeValue;
}

const DAY_LOG = /^(\d{8})\.log$/;

export async function showLog(config: Pick<OrdoConfig, 'root'>, options: { date?: string | undefined }): Promise<LogText> {
  const paths = spoolPaths(config);
  if (options.date === undefined) {
    const text = await readOrUndefined(paths.lastLog);
    if (text === undefined) throw new OrdoError('logs.noLastLog', { dir: paths.logs }, ExitCode.partial, { fix: 'logs.noLastLog.fix' });
    return { file: paths.lastLog, text };
  }
  const date = options.date;
  if (parseDay(date) === undefined) throw new UsageError('logs.badDate', { date }, 'logs.badDate.fix');
  const file = join(paths.logs, `${date}.log`);
  const text = await readOrUndefined(file);
  if (text === undefined) {
    const days = (await dayLogs(paths.logs)).map((d) => d.date).slice(-5);
    throw new OrdoError('logs.noDayLog', { date, dir: paths.logs, days: days.join(', ') || '—' }, ExitCode.partial, { fix: 'logs.noDayLog.fix' });
  }
  return { file, date, text };
}

export async function purgeLogs(
  config: Pick<OrdoConfig, 'root'>,
  options: { olderThanMs: number; dryRun: boolean; now: Date },
): Promise<PurgeResult> {
  const paths = spoolPaths(config);
  const cutoff = new Date(options.now.getTime() - options.olderThanMs);
  const result: PurgeResult = {
    dryRun: options.dryRun,
    olderThanMs: options.olderThanMs,
    cutoff: cutoff.toISOString(),
    removed: [],
    failed: [],
    kept: 0,
    exitCode: ExitCode.ok,
  };
  for (const log of await dayLogs(paths.logs)) {
    if (log.dayEnd > cutoff) {
      result.kept++;
      continue;
    }
    const entry = { file: log.file, date: log.date };
    if (options.dryRun) {
      result.removed.push(entry);
      continue;
    }
    try {
      await unlink(log.file);
      result.removed.push(entry);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') continue;
      result.failed.push({ ...entry, reason: code ?? String(error) });
    }
  }
  if (result.failed.length > 0) result.exitCode = ExitCode.partial;
  return result;
}

/** The last `count` lines of last.log, or undefined when there is none (for diagnose reports). */
export async function tailLastLog(config: Pick<OrdoConfig, 'root'>, count: number): Promise<string[] | undefined> {
  const text = await readOrUndefined(spoolPaths(config).lastLog);
  if (text === undefined) return undefined;
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  return lines.slice(-count);
}

interface DayLog {
  file: string;
  date: string;
  /** Local midnight after that day: everything in the file is older than this. */
  dayEnd: Date;
}

async function dayLogs(dir: string): Promise<DayLog[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const logs: DayLog[] = [];
  for (const name of names.sort()) {
    const date = DAY_LOG.exec(name)?.[1];
    const day = date === undefined ? undefined : parseDay(date);
    if (date === undefined || day === undefined) continue;
    logs.push({ file: join(dir, name), date, dayEnd: new Date(day.getFullYear(), day.getMonth(), day.getDate() + 1) });
  }
  return logs;
}

/** AAAAMMJJ → local midnight of that day, or undefined when it is not a real date. */
export function parseDay(text: string): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (match === null) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(year, month - 1, day);
  if (date.getFullYear() !== year || date.getMonth() !== month - 1 || date.getDate() !== day) return undefined;
  return date;
}

async function readOrUndefined(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
