// logs show (the text as it is) and logs purge (what was, or would be, removed).
import { basename } from 'node:path';
import { t } from '../../i18n/index.js';
import type { LogText, PurgeResult } from '../../core/logs.js';
import { line, MARK, type Line } from '../lines.js';

export function renderLogText(log: LogText): Line[] {
  const lines = log.text.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  return lines.map((text) => line('data', text));
}

export function renderPurge(result: PurgeResult, olderThan: string): Line[] {
  const out: Line[] = [];
  const verb = result.dryRun ? 'output.purge.wouldRemove' : 'output.purge.removed';
  for (const log of result.removed) out.push(line('info', t(verb, { file: basename(log.file) }), { mark: result.dryRun ? MARK.dry : MARK.ok, tone: result.dryRun ? 'dim' : 'ok' }));
  for (const log of result.failed) {
    out.push(line('failure', t('output.purge.failed', { file: log.file, reason: log.reason }), { mark: MARK.fail, tone: 'fail' }));
  }
  const key = result.removed.length === 0 ? 'output.purge.none' : result.dryRun ? 'output.purge.summaryDry' : 'output.purge.summary';
  out.push(line('info', t(key, { count: result.removed.length, kept: result.kept, olderThan }), { tone: 'bold' }));
  return out;
}
