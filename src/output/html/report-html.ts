// `ordo report`: one self-contained HTML page — inline CSS, charts drawn as inline SVG, no script, a
// Content-Security-Policy that lets nothing load — so that it opens the same from a mail attachment,
// offline, in any browser. Every value goes through escapeHtml (secrets masked, names escaped); the
// figures carry data-* attributes so that tools (and the tests) can read them.
import { getLang, t } from '../../i18n/index.js';
import type { DayCounts, ReportData, ScenarioReport } from '../../core/report-data.js';
import type { DiagnoseCheck } from '../../core/results.js';
import type { FailedItem } from '../../core/failed-items.js';
import { localTime } from '../../shared/local-time.js';
import { dayChart, showDay } from './chart.js';
import { escapeHtml } from './escape.js';
import { REPORT_CSS } from './report-css.js';

const COUNTS = ['sent', 'received', 'failed', 'awaiting'] as const;
const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

export interface HtmlReportInput {
  data: ReportData;
  version: string;
}

export function renderReportHtml({ data, version }: HtmlReportInput): string {
  const period = { days: data.days, from: showDay(localDayOf(new Date(data.since))), to: showDay(localDayOf(new Date(data.generatedAt))) };
  const title = t('report.title');
  return [
    '<!DOCTYPE html>',
    `<html lang="${escapeHtml(getLang())}">`,
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(CSP)}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${REPORT_CSS}</style>`,
    '</head>',
    '<body>',
    '<header>',
    `<h1>${escapeHtml(title)}</h1>`,
    `<p>${escapeHtml(t('report.generated', { time: localTime(data.generatedAt, 'local'), version }))}</p>`,
    `<p id="period" data-days="${data.days}">${escapeHtml(t('report.period', period))}</p>`,
    `<p>${escapeHtml(data.configFile === undefined ? t('report.noConfig') : t('report.config', { file: data.configFile }))}</p>`,
    summary(data),
    legend(),
    '</header>',
    '<main>',
    ...(data.scenarios.length === 0 && data.configFile !== undefined ? [`<p class="empty">${escapeHtml(t('report.noScenario'))}</p>`] : []),
    ...data.scenarios.map((s) => scenarioSection(s, period)),
    diagnoseSection(data.diagnose.checks),
    '</main>',
    `<footer><p>${escapeHtml(t('report.footer'))}</p></footer>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function summary(data: ReportData): string {
  const count = (status: DiagnoseCheck['status']) => data.diagnose.checks.filter((c) => c.status === status).length;
  const [ok, warn, fail] = [count('ok'), count('warn'), count('fail')];
  const tone = fail > 0 ? 'fail' : warn > 0 ? 'warn' : 'ok';
  return `<p id="diagnose-summary" class="badge ${tone}" data-ok="${ok}" data-warn="${warn}" data-fail="${fail}"><a href="#diagnose">${escapeHtml(t('report.diagnoseSummary', { ok, warn, fail }))}</a></p>`;
}

function legend(): string {
  const items = COUNTS.map((c) => `<li><span class="swatch s-${c}"></span>${escapeHtml(t(`report.${c}`))}</li>`);
  return `<ul class="legend">${items.join('')}</ul>`;
}

function scenarioSection(report: ScenarioReport, period: { days: number; from: string; to: string }): string {
  const name = escapeHtml(report.scenario);
  return [
    `<section class="scenario" data-scenario="${name}">`,
    `<h2>${name} <small>${escapeHtml(t('report.scenarioMeta', { profile: report.profile, protocol: report.protocol }))}</small></h2>`,
    totalsTable(report, period.days),
    `<p class="last-success">${escapeHtml(lastSuccess(report))}</p>`,
    ...(report.awaitingBefore > 0 ? [`<p class="awaiting-before" data-count="${report.awaitingBefore}">${escapeHtml(t('report.awaitingBefore', { count: report.awaitingBefore }))}</p>`] : []),
    `<div class="chart-box">${dayChart(report.days, t('report.chart', { scenario: report.scenario, from: period.from, to: period.to }))}</div>`,
    daysTable(report.days),
    failedList(report),
    '</section>',
  ].join('\n');
}

function totalsTable(report: ScenarioReport, days: number): string {
  const head = COUNTS.map((c) => `<th scope="col">${escapeHtml(t(`report.${c}`))}</th>`).join('');
  const cells = COUNTS.map((c) => `<td class="n" data-total="${c}">${report.totals[c]}</td>`).join('');
  return `<table class="totals"><caption>${escapeHtml(t('report.total', { days }))}</caption><tr>${head}</tr><tr>${cells}</tr></table>`;
}

function lastSuccess(report: ScenarioReport): string {
  const last = report.lastSuccess;
  if (last === undefined) return t('report.lastSuccess.none');
  return t(last.direction === 'send' ? 'report.lastSuccess.send' : 'report.lastSuccess.receive', { file: last.file, time: localTime(last.time, 'local') });
}

/** Every day of the window, most recent first, in a table closed by default (the chart says it at a glance). */
function daysTable(days: DayCounts[]): string {
  const head = `<tr><th scope="col">${escapeHtml(t('report.day'))}</th>${COUNTS.map((c) => `<th scope="col">${escapeHtml(t(`report.${c}`))}</th>`).join('')}</tr>`;
  const rows = days
    .toReversed()
    .map((d) => `<tr data-day="${escapeHtml(d.day)}"><th scope="row">${escapeHtml(showDay(d.day))}</th>${COUNTS.map((c) => `<td class="n" data-count="${c}">${d[c]}</td>`).join('')}</tr>`);
  return `<details class="days"><summary>${escapeHtml(t('report.dayByDay'))}</summary><table>${head}${rows.join('')}</table></details>`;
}

function failedList(report: ScenarioReport): string {
  const total = report.failed.length + report.failedMore;
  const heading = `<h3>${escapeHtml(t('report.failedTitle', { count: total }))}</h3>`;
  if (total === 0) return `<div class="failed" data-count="0">${heading}<p class="empty">${escapeHtml(t('report.failedNone'))}</p></div>`;
  const head = ['report.failed.file', 'report.failed.since', 'report.failed.reason', 'report.failed.fix'].map((k) => `<th scope="col">${escapeHtml(t(k))}</th>`).join('');
  const rows = report.failed.map(failedRow);
  const more = report.failedMore > 0 ? `<p>${escapeHtml(t('report.failedMore', { count: report.failedMore }))}</p>` : '';
  return `<div class="failed" data-count="${total}">${heading}<table><tr>${head}</tr>${rows.join('')}</table>${more}</div>`;
}

function failedRow(item: FailedItem): string {
  return [
    `<tr class="failed-item" data-file="${escapeHtml(item.file)}">`,
    `<td class="file" title="${escapeHtml(item.path)}">${escapeHtml(item.file)}</td>`,
    `<td class="since">${escapeHtml(localTime(item.since, 'local'))}</td>`,
    `<td class="reason">${escapeHtml(item.reason ?? t('report.failed.noReason'))}</td>`,
    `<td class="fix">${escapeHtml(item.fix ?? '')}${resend(item)}</td>`,
    '</tr>',
  ].join('');
}

function resend(item: FailedItem): string {
  if (item.resendCommand === undefined) return '';
  return `<p class="resend">${escapeHtml(t('report.failed.resend'))}<br><code>${escapeHtml(item.resendCommand)}</code></p>`;
}

function diagnoseSection(checks: DiagnoseCheck[]): string {
  const head = ['report.check.status', 'report.check.scope', 'report.check.message', 'report.check.fix'].map((k) => `<th scope="col">${escapeHtml(t(k))}</th>`).join('');
  const rows = checks.map(
    (c) =>
      `<tr class="check ${c.status}" data-check="${escapeHtml(c.id)}" data-status="${c.status}"><td>${escapeHtml(t(`report.check.${c.status}`))}</td><td>${escapeHtml(c.scope ?? '—')}</td><td>${escapeHtml(c.message)}</td><td>${escapeHtml(c.status === 'ok' ? '' : (c.fix ?? ''))}</td></tr>`,
  );
  return `<section id="diagnose"><h2>${escapeHtml(t('report.diagnose'))}</h2><table><tr>${head}</tr>${rows.join('')}</table></section>`;
}

const pad = (n: number) => String(n).padStart(2, '0');
function localDayOf(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}
