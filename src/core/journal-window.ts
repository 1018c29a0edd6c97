// The journal lines of a recent window (`ordo report`), read from the month files that can hold them
// only, one line at a time: the cost follows the window's months, never the journal's whole history.
import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { JournalEntry } from './journal.js';
import { monthFileName, monthOfName } from './journal-index-keys.js';
import { spoolPaths } from '../shared/paths.js';

/** AAAAMM of a date in local time, as the month files are named. */
export function localMonth(date: Date): number {
  return date.getFullYear() * 100 + date.getMonth() + 1;
}

/** The journal lines written at or after `since`, oldest month first; cut or damaged lines are skipped. */
export async function* journalSince(root: string, since: Date): AsyncGenerator<JournalEntry> {
  const dir = spoolPaths({ root }).journal;
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const first = localMonth(since);
  const months = names
    .map(monthOfName)
    .filter((month): month is number => month !== undefined && month >= first)
    .sort((a, b) => a - b);
  const from = since.getTime();
  for (const month of months) {
    const lines = createInterface({ input: createReadStream(join(dir, monthFileName(month)), { encoding: 'utf8' }), crlfDelay: Infinity });
    for await (const line of lines) {
      const entry = parsedLine(line);
      if (entry !== undefined && Date.parse(entry.time) >= from) yield entry;
    }
  }
}

/** A line, or the line glued after a cut one (as readJournal reads them). */
function parsedLine(line: string): JournalEntry | undefined {
  if (line.trim() === '') return undefined;
  return parsed(line) ?? parsed(line.slice(Math.max(0, line.lastIndexOf('{"time":'))));
}

function parsed(text: string): JournalEntry | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value !== 'object' || value === null) return undefined;
    const entry = value as JournalEntry;
    return typeof entry.time === 'string' && typeof entry.scenario === 'string' ? entry : undefined;
  } catch {
    return undefined;
  }
}
