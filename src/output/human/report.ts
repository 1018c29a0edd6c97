// ordo report: where the page was written (its --json form: the path and each scenario's totals).
import { t } from '../../i18n/index.js';
import type { ReportData } from '../../core/report-data.js';
import { line, MARK, type Line } from '../lines.js';

export interface HtmlReportResult {
  output: string;
  data: ReportData;
  /** --dry-run: the page was made, not written. */
  dryRun: boolean;
}

export function renderHtmlReport(result: HtmlReportResult): Line[] {
  if (result.dryRun) return [line('info', t('output.htmlReport.dryRun', { file: result.output }), { mark: MARK.dry, tone: 'dim' })];
  return [line('info', t('output.htmlReport.written', { file: result.output }), { mark: MARK.ok, tone: 'ok' })];
}

/** The --json document (docs/json-output.md). */
export function htmlReportDocument(result: HtmlReportResult): unknown {
  const { data } = result;
  return {
    output: result.output,
    dryRun: result.dryRun,
    days: data.days,
    since: data.since,
    scenarios: data.scenarios.map((s) => ({ scenario: s.scenario, ...s.totals, inFailed: s.failed.length + s.failedMore, lastSuccess: s.lastSuccess?.time ?? null })),
    checks: { ok: count(data, 'ok'), warn: count(data, 'warn'), fail: count(data, 'fail') },
    exitCode: 0,
  };
}

function count(data: ReportData, status: 'ok' | 'warn' | 'fail'): number {
  return data.diagnose.checks.filter((c) => c.status === status).length;
}
