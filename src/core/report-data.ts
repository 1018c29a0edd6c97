// What `ordo report` shows, gathered without writing anything: per scenario and per local day of the
// last N days, the files sent, received, failed and still awaiting the partner's receipt; the last
// success; what waits in failed/; and the diagnose checks. The journal is read for the window's months
// only (journal-window.ts) and the journal index, as it is, answers for what is older (the last success
// and the receipts still awaited): the cost follows the window, not the journal's whole history.
import type { OrdoConfig, ScenarioConfig } from '../config/model.js';
import type { JournalEntry } from './journal.js';
import { JournalIndex } from './journal-index.js';
import { COMPLETED } from './journal-index-keys.js';
import { journalSince } from './journal-window.js';
import { diagnosePendings } from './journal-index-recent.js';
import type { FailedItem } from './failed-items.js';
import { failedItems } from './report-failed.js';
import type { DiagnoseResult } from './results.js';

export const DEFAULT_REPORT_DAYS = 30;
export const MAX_REPORT_DAYS = 366;

export interface DayCounts {
  /** Local day, AAAA-MM-JJ. */
  day: string;
  sent: number;
  received: number;
  failed: number;
  /** Sends of that day whose receipt the partner has not given yet. */
  awaiting: number;
}

export interface ScenarioReport {
  scenario: string;
  profile: string;
  protocol: string;
  /** One entry per day of the window, oldest first. */
  days: DayCounts[];
  totals: Omit<DayCounts, 'day'>;
  /** Sends from before the window still awaiting their receipt. */
  awaitingBefore: number;
  lastSuccess?: { time: string; file: string; direction: 'send' | 'receive' };
  failed: FailedItem[];
  /** Items of failed/ not listed (beyond the listing's bound). */
  failedMore: number;
}

export interface ReportData {
  generatedAt: string;
  days: number;
  /** Start of the window: local midnight of its first day (ISO). */
  since: string;
  configFile?: string;
  scenarios: ScenarioReport[];
  diagnose: DiagnoseResult;
}

/** States that set a file aside in failed/ or that the partner refused. */
const FAILED_STATES = new Set(['failed', 'refused', 'duplicate', 'fetch-failed']);

export async function reportData(config: OrdoConfig | undefined, scenarios: ScenarioConfig[], diagnose: DiagnoseResult, options: { days: number; now?: Date }): Promise<ReportData> {
  const now = options.now ?? new Date();
  const since = windowStart(now, options.days);
  const base = { generatedAt: now.toISOString(), days: options.days, since: since.toISOString(), diagnose };
  if (config === undefined) return { ...base, scenarios: [] };
  const reports = new Map(scenarios.map((s) => [s.name, emptyReport(s, since, options.days)]));
  const dayIndex = new Map((reports.values().next().value?.days ?? []).map((d, i) => [d.day, i]));
  const dayOf = (report: ScenarioReport, time: string) => report.days[dayIndex.get(localDay(new Date(time))) ?? -1];
  const lastInWindow = new Map<string, JournalEntry>();
  // For the receipts still awaited when there is no usable index: each pending send and its latest line.
  const pendingLines = new Map<string, { pending: JournalEntry; latest: JournalEntry }>();
  for await (const entry of journalSince(config.root, since)) {
    const report = reports.get(entry.scenario);
    if (report === undefined) continue;
    const day = dayOf(report, entry.time);
    if (day !== undefined) count(day, entry);
    if (COMPLETED.has(entry.state)) lastInWindow.set(entry.scenario, entry);
    if (entry.direction === 'send' && entry.path !== undefined) {
      const known = pendingLines.get(entry.path);
      if (entry.state === 'pending') pendingLines.set(entry.path, { pending: entry, latest: entry });
      else if (known !== undefined) known.latest = entry;
    }
  }
  const names = scenarios.map((s) => s.name);
  const fallback = [...pendingLines.values()].flatMap(({ pending, latest }) => (pending === latest ? [pending] : [pending, latest]));
  const pendings = await diagnosePendings(config.root, names, fallback);
  const older = await olderSuccesses(config.root, names.filter((name) => !lastInWindow.has(name)));
  const failed = await failedItems(config, scenarios);
  for (const report of reports.values()) {
    for (const { pending } of pendings.get(report.scenario) ?? []) {
      const day = dayOf(report, pending.time);
      if (day === undefined) report.awaitingBefore++;
      else day.awaiting++;
    }
    const last = lastInWindow.get(report.scenario) ?? older.get(report.scenario);
    if (last !== undefined) report.lastSuccess = { time: last.time, file: last.file, direction: last.direction };
    report.failed = failed.get(report.scenario)?.items ?? [];
    report.failedMore = failed.get(report.scenario)?.more ?? 0;
    report.totals = totals(report.days);
  }
  return { ...base, configFile: config.file, scenarios: [...reports.values()] };
}

function count(day: DayCounts, entry: JournalEntry): void {
  if (entry.direction === 'send' && (entry.state === 'sent' || entry.state === 'pending')) day.sent++;
  else if (entry.direction === 'receive' && entry.state === 'received') day.received++;
  else if (FAILED_STATES.has(entry.state)) day.failed++;
}

/** The last completed transfer of scenarios with none in the window: from the journal index as it is (read only). */
async function olderSuccesses(root: string, scenarios: string[]): Promise<Map<string, JournalEntry>> {
  const found = new Map<string, JournalEntry>();
  if (scenarios.length === 0) return found;
  const index = new JournalIndex(root);
  try {
    if ((await index.peek()) === undefined) return found;
    for (const scenario of scenarios) {
      const last = await index.lastTransfer(scenario);
      if (last !== undefined) found.set(scenario, last);
    }
  } catch {
    // No index to ask: "none in the window" is then all the report can say.
  } finally {
    index.close();
  }
  return found;
}

function emptyReport(scenario: ScenarioConfig, since: Date, days: number): ScenarioReport {
  const list: DayCounts[] = [];
  for (let i = 0; i < days; i++) {
    const date = new Date(since.getFullYear(), since.getMonth(), since.getDate() + i);
    list.push({ day: localDay(date), sent: 0, received: 0, failed: 0, awaiting: 0 });
  }
  return {
    scenario: scenario.name,
    profile: scenario.profile,
    protocol: scenario.protocol,
    days: list,
    totals: { sent: 0, received: 0, failed: 0, awaiting: 0 },
    awaitingBefore: 0,
    failed: [],
    failedMore: 0,
  };
}

function totals(days: DayCounts[]): Omit<DayCounts, 'day'> {
  const sum = (pick: (d: DayCounts) => number) => days.reduce((n, d) => n + pick(d), 0);
  return { sent: sum((d) => d.sent), received: sum((d) => d.received), failed: sum((d) => d.failed), awaiting: sum((d) => d.awaiting) };
}

/** Local midnight of the window's first day: today counts as one of the `days`. */
export function windowStart(now: Date, days: number): Date {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate() - (days - 1));
}

const pad = (n: number) => String(n).padStart(2, '0');

export function localDay(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}
