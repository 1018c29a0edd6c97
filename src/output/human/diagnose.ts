// diagnose: every check with ✔/⚠/✖, its reason, and the fix of each ✖ (and ⚠ when there is one).
import { escapeControls, t } from '../../i18n/index.js';
import type { DiagnoseCheck, DiagnoseResult } from '../../core/results.js';
import { line, MARK, type Line } from '../lines.js';
import { fixLine } from './cycle.js';

const LOOK = {
  ok: { mark: MARK.ok, tone: 'ok', kind: 'info' },
  warn: { mark: MARK.warn, tone: 'warn', kind: 'info' },
  fail: { mark: MARK.fail, tone: 'fail', kind: 'failure' },
} as const;

export function renderDiagnose(result: DiagnoseResult): Line[] {
  const out = result.checks.flatMap(checkLines);
  out.push(line('info', diagnoseSummary(result), { tone: 'bold' }));
  if (result.reportFile !== undefined) out.push(line('info', t('output.diagnose.reportWritten', { file: result.reportFile })));
  return out;
}

export function checkLines(check: DiagnoseCheck): Line[] {
  const look = LOOK[check.status];
  const scope = check.scope === undefined ? '' : `[${check.scope}] `;
  const out = [line(look.kind, `${scope}${check.message}`, { mark: look.mark, tone: look.tone })];
  if (check.fix !== undefined && check.status !== 'ok') out.push(fixLine(look.kind, check.fix));
  for (const text of check.example ?? []) out.push(line(look.kind, `      ${escapeControls(text)}`));
  return out;
}

export function diagnoseSummary(result: DiagnoseResult): string {
  const count = (status: DiagnoseCheck['status']) => result.checks.filter((c) => c.status === status).length;
  return t('output.diagnose.summary', { total: result.checks.length, ok: count('ok'), warn: count('warn'), fail: count('fail') });
}
