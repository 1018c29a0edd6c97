// What `diagnose` reads of the journal, at a cost that does not grow with its length: the last months
// in full (what went wrong lately), and from the index what is older but still matters — each
// scenario's last transfer (with the line that started it) and the last state of each queued item.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { readJournal, type JournalEntry } from './journal.js';
import { JournalIndex } from './journal-index.js';
import { COMPLETED, FOLLOW_OPEN, pathKey } from './journal-index-keys.js';
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

/**
 * The open pending sends of each scenario, for diagnose: from the index as it is (read only), each its
 * `pending` line and the latest line of its queue path. Without a usable index, from `recent` alone.
 */
export async function diagnosePendings(root: string, scenarios: string[], recent: readonly JournalEntry[]): Promise<Map<string, Array<{ pending: JournalEntry; latest: JournalEntry }>>> {
  const found = new Map<string, Array<{ pending: JournalEntry; latest: JournalEntry }>>();
  const index = new JournalIndex(root);
  try {
    if ((await index.peek()) !== undefined) {
      for (const scenario of scenarios) found.set(scenario, await index.openPendings(scenario));
      return found;
    }
  } catch {
    // The journal lines then.
  } finally {
    index.close();
  }
  const pendingLines = new Map<string, JournalEntry>();
  const latest = new Map<string, JournalEntry>();
  for (const entry of recent) {
    if (entry.direction !== 'send' || entry.path === undefined) continue;
    latest.set(entry.path, entry);
    if (entry.state === 'pending') pendingLines.set(entry.path, entry);
  }
  for (const scenario of scenarios) found.set(scenario, []);
  for (const [path, pending] of pendingLines) {
    const last = latest.get(path);
    if (last !== undefined && FOLLOW_OPEN.has(last.state)) found.get(pending.scenario)?.push({ pending, latest: last });
  }
  return found;
}
