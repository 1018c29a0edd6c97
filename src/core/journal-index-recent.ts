// What `diagnose` reads of the journal, at a cost that does not grow with its length: the last months
// in full (what went wrong lately), and from the index what is older but still matters — each
// scenario's last transfer (with the line that started it) and the last state of each queued item.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { readJournal, type JournalEntry } from './journal.js';
import { JournalIndex } from './journal-index.js';
import { COMPLETED, pathKey } from './journal-index-keys.js';
import { spoolPaths } from '../shared/paths.js';

/** Months read in full: diagnose's recent problems look back 30 days. */
export const RECENT_MONTHS = 2;

/**
 * Journal lines for diagnose, oldest first: older lines the index points at, then the recent months.
 * Diagnose writes nothing: the index is read as it is (with the lines written since its last catch-up);
 * without a usable index (a site where no run has worked since the upgrade), the recent months alone.
 */
export async function diagnoseJournal(root: string, scenarios: string[]): Promise<JournalEntry[]> {
  const recent = await readJournal(root, { months: RECENT_MONTHS });
  const index = new JournalIndex(root);
  try {
    if ((await index.peek()) === undefined) return recent;
    const older: JournalEntry[] = [];
    const inRecent = (entry: JournalEntry) => recent.some((line) => sameLine(line, entry));
    for (const scenario of scenarios) {
      if (recent.some((entry) => entry.scenario === scenario && COMPLETED.has(entry.state))) continue;
      const done = await index.lastTransfer(scenario);
      if (done === undefined) continue;
      const lines = done.direction === 'send' && done.path !== undefined ? await index.lookupAll(pathKey(done.path)) : [done];
      older.push(...lines.filter((line) => !inRecent(line)));
    }
    for (const path of await queuedPaths(root, scenarios)) {
      if (recent.some((entry) => entry.direction === 'send' && entry.path === path)) continue;
      const last = await index.lastSend(path);
      if (last !== undefined) older.push(last);
    }
    older.sort((a, b) => a.time.localeCompare(b.time));
    return [...older, ...recent];
  } catch {
    return recent;
  } finally {
    index.close();
  }
}

function sameLine(a: JournalEntry, b: JournalEntry): boolean {
  return a.time === b.time && a.run === b.run && a.state === b.state && a.file === b.file && a.direction === b.direction;
}

/** queue/<scenario>/<item>/<name>, read only (diagnose changes nothing). */
async function queuedPaths(root: string, scenarios: string[]): Promise<string[]> {
  const paths: string[] = [];
  for (const scenario of scenarios) {
    const base = spoolPaths({ root }).queue(scenario);
    const ids = await readdir(base).catch(() => [] as string[]);
    for (const id of ids.filter((name) => !name.startsWith('.'))) {
      const names = await readdir(join(base, id)).catch(() => [] as string[]);
      const name = names.find((entry) => !entry.startsWith('.'));
      if (name !== undefined) paths.push(join(base, id, name));
    }
  }
  return paths;
}
