// diagnose: what waits in failed/ — each file set aside, why, since when, and the command that sends it again.
import { MAX_PROBLEMS_SHOWN } from '../config/limits.js';
import { t } from '../i18n/index.js';
import { peopleStamp } from '../shared/local-time.js';
import { formatAge } from '../i18n/units.js';
import { check } from './diagnose-check.js';
import type { FailedItem } from './failed-items.js';
import type { DiagnoseCheck } from './results.js';

const DAY_MS = 24 * 3600 * 1000;

export function failedChecks(items: readonly FailedItem[], now: Date): DiagnoseCheck[] {
  if (items.length === 0) return [check('failed', 'ok', t('diagnose.failed.none'))];
  const checks = items.slice(0, MAX_PROBLEMS_SHOWN).map((item) => {
    const ageMs = now.getTime() - Date.parse(item.since);
    const params = {
      file: item.file,
      path: item.path,
      since: peopleStamp(item.since),
      age: formatAge(ageMs),
      reason: item.reason ?? t('diagnose.failed.noReason'),
      command: item.resendCommand ?? '',
    };
    if (item.status === 'incomplete') {
      return check('failed', 'warn', t('diagnose.failed.incomplete', params), { fix: t('diagnose.failed.incomplete.fix', params), scope: item.scenario });
    }
    const key = ageMs > DAY_MS ? 'diagnose.failed.itemOld' : 'diagnose.failed.item';
    const fix = item.status === 'duplicate' ? 'diagnose.failed.duplicate.fix' : 'diagnose.failed.item.fix';
    // The failure's own advice first (what to deal with), then where the file is and how to resend it.
    const advice = item.fix === undefined ? t(fix, params) : `${item.fix} ${t(fix, params)}`;
    return check('failed', 'warn', t(key, params), { fix: advice, scope: item.scenario });
  });
  const more = items.length - MAX_PROBLEMS_SHOWN;
  if (more > 0) checks.push(check('failed', 'warn', t('diagnose.failed.more', { count: more })));
  return checks;
}
