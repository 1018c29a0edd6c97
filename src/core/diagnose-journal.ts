// diagnose: what the journal says — transfers left half-done, downloads that failed after the partner
// may have marked them taken, and the last completed transfer of each scenario.
import { dirname } from 'node:path';
import type { ScenarioConfig } from '../config/model.js';
import { t } from '../i18n/index.js';
import { check } from './diagnose-check.js';
import { lastSendStates, type JournalEntry } from './journal.js';
import type { DiagnoseCheck } from './results.js';
import { exists } from '../shared/exists.js';
import { localFailureFix } from './local-failure.js';
import { receiptsOf } from '../config/build.js';
import { formatDuration } from '../shared/duration.js';
import { describeFacts } from './follow.js';
import { peopleStamp } from '../shared/local-time.js';
import { spoolPaths } from '../shared/paths.js';
import { failedPathAfter, queuePathBefore } from './failed-items.js';
import { formatAge } from '../i18n/units.js';

/** Older problems whose file is no longer queued are not reported again and again. */
const RECENT_MS = 30 * 24 * 3600 * 1000;

const READ_REFUSED = new Set(['EACCES', 'EPERM', 'EBUSY']);

const INTERRUPTED = new Set(['sending', 'uncertain', 'resumed', 'step']);

export async function interruptedChecks(entries: JournalEntry[], scenarios: ScenarioConfig[], now: Date, root: string): Promise<DiagnoseCheck[]> {
  const names = new Set(scenarios.map((s) => s.name));
  const sources = new Map(scenarios.map((s) => [s.name, s.source]));
  const setAside = setAsideQueuePaths(entries, root);
  const checks: DiagnoseCheck[] = [];
  for (const [path, entry] of lastSendStates(entries)) {
    if (!names.has(entry.scenario)) continue;
    if (!INTERRUPTED.has(entry.state) && entry.state !== 'deferred') continue;
    const queued = await exists(path);
    // Set aside in failed/ (its line names the failed/ path; or a crash came before that line): the failed checks tell.
    if (!queued && (setAside.has(path) || (await exists(failedPathAfter(root, entry.scenario, path))))) continue;
    const params = { scenario: entry.scenario, file: entry.file, state: t(`engine.state.${entry.state}`), time: peopleStamp(entry.time), reason: entry.reason ?? '—', path };
    if (entry.state === 'deferred' && entry.code !== undefined) {
      // Held back by this machine (full disk, unreadable file): in the queue or still in the source folder.
      // A file left unreadable in its source folder is tested again, live, by the folder checks.
      const liveInSource = READ_REFUSED.has(entry.code) && dirname(path) === sources.get(entry.scenario);
      if (queued && !liveInSource) checks.push(localFailureCheck(entry, entry.code, params));
    } else if (queued) {
      const key = entry.state === 'deferred' ? 'diagnose.journal.deferred' : 'diagnose.journal.interrupted';
      checks.push(check('journal.interrupted', 'warn', t(key, params), { scope: entry.scenario }));
    } else if (INTERRUPTED.has(entry.state) && now.getTime() - Date.parse(entry.time) < RECENT_MS) {
      checks.push(check('journal.interrupted', 'warn', t('diagnose.journal.interruptedGone', params), {
        fix: t('diagnose.journal.interruptedGone.fix', params),
        scope: entry.scenario,
      }));
    }
  }
  if (checks.length === 0) checks.push(check('journal.interrupted', 'ok', t('diagnose.journal.clean')));
  return checks;
}

/** The queue paths of the items the journal says were set aside in failed/ (their line names the failed/ path). */
function setAsideQueuePaths(entries: JournalEntry[], root: string): Set<string> {
  const paths = new Set<string>();
  for (const entry of entries) {
    if (entry.direction !== 'send' || (entry.state !== 'failed' && entry.state !== 'duplicate') || entry.path === undefined) continue;
    if (dirname(dirname(entry.path)) === spoolPaths({ root }).failed(entry.scenario)) paths.add(queuePathBefore(root, entry.scenario, entry.path));
  }
  return paths;
}

function localFailureCheck(entry: JournalEntry, code: string, params: { path: string } & Record<string, string>): DiagnoseCheck {
  const fix = localFailureFix(code, entry.folder ?? dirname(params.path), params.path);
  return check('journal.interrupted', 'warn', t('diagnose.journal.local', params), { fix, scope: entry.scenario });
}

export function fetchFailedChecks(entries: JournalEntry[], scenarios: ScenarioConfig[], now: Date): DiagnoseCheck[] {
  const names = new Set(scenarios.map((s) => s.name));
  const last = new Map<string, JournalEntry>();
  for (const entry of entries) {
    if (entry.direction === 'receive') last.set(entry.key ?? `${entry.scenario}\u0000${entry.file}`, entry);
  }
  const checks: DiagnoseCheck[] = [];
  for (const entry of last.values()) {
    if (entry.state !== 'fetch-failed' || !names.has(entry.scenario)) continue;
    if (now.getTime() - Date.parse(entry.time) > RECENT_MS) continue;
    const params = { scenario: entry.scenario, file: entry.file, time: peopleStamp(entry.time), reason: entry.reason ?? '—' };
    checks.push(check('journal.fetchFailed', 'fail', t('diagnose.journal.fetchFailed', params), {
      fix: t('diagnose.journal.fetchFailed.fix', params),
      scope: entry.scenario,
    }));
  }
  return checks;
}

const COMPLETED = new Set(['sent', 'pending', 'received']);

export function lastTransferChecks(entries: JournalEntry[], scenarios: ScenarioConfig[], now: Date): DiagnoseCheck[] {
  return scenarios.map((scenario) => {
    const mine = entries.filter((e) => e.scenario === scenario.name);
    const done = mine.findLast((e) => COMPLETED.has(e.state));
    const every = scenario.expectEveryMs === undefined ? undefined : formatDuration(scenario.expectEveryMs);
    if (done === undefined) {
      if (every !== undefined) return check('journal.lastTransfer', 'warn', t('diagnose.journal.noTransferExpected', { every }), { fix: t('diagnose.journal.overdue.fix', { every }), scope: scenario.name });
      return check('journal.lastTransfer', 'warn', t('diagnose.journal.noTransfer'), { scope: scenario.name });
    }
    const ageMs = now.getTime() - Date.parse(done.time);
    const start = mine.find((e) => e.run === done.run && e.file === done.file && e.direction === done.direction) ?? done;
    const params = {
      file: done.file,
      start: peopleStamp(start.time),
      end: peopleStamp(done.time),
      what: t(`diagnose.journal.what.${done.state}`),
      age: formatAge(ageMs),
      every: every ?? '',
    };
    if (scenario.expectEveryMs !== undefined && ageMs > scenario.expectEveryMs) {
      return check('journal.lastTransfer', 'warn', t('diagnose.journal.overdue', params), { fix: t('diagnose.journal.overdue.fix', params), scope: scenario.name });
    }
    return check('journal.lastTransfer', 'ok', t('diagnose.journal.last', params), { scope: scenario.name });
  });
}


/**
 * Sends accepted by the partner whose receipt has not come: one line per scenario that has some, and a
 * warning for each one older than the scenario's `receipts.warnAfter`, naming the file, the partner's id
 * and the facts to look it up there (Pastell: the entity and document ids).
 */
export function pendingChecks(open: ReadonlyMap<string, ReadonlyArray<{ pending: JournalEntry; latest: JournalEntry }>>, scenarios: ScenarioConfig[], now: Date): DiagnoseCheck[] {
  const checks: DiagnoseCheck[] = [];
  for (const scenario of scenarios) {
    const list = open.get(scenario.name) ?? [];
    if (list.length === 0) continue;
    const { warnAfterMs, everyMs } = receiptsOf(scenario);
    const late = list.filter(({ pending }) => now.getTime() - Date.parse(pending.time) > warnAfterMs);
    const oldest = list[0]?.pending;
    if (late.length < list.length && oldest !== undefined) {
      checks.push(check('journal.pending', 'ok', t('diagnose.journal.pending', { count: list.length - late.length, since: peopleStamp(oldest.time) }), { scope: scenario.name }));
    }
    for (const { pending } of late) {
      const params = {
        file: pending.file,
        time: peopleStamp(pending.time),
        remoteId: pending.remoteId ?? '—',
        facts: describeFacts(pending.follow) || '—',
        protocol: scenario.protocol,
        every: formatDuration(everyMs),
        warnAfter: formatDuration(warnAfterMs),
      };
      checks.push(check('journal.pending', 'warn', t('diagnose.journal.pendingLate', params), { fix: t('diagnose.journal.pendingLate.fix', params), scope: scenario.name }));
    }
  }
  return checks;
}
