// A scenario's days as stacked bars in inline SVG, drawn here: no script, so the page shows the same in
// a browser, a mail client's viewer or a printout. Each bar has its figures as a tooltip (<title>).
import { getLang, t } from '../../i18n/index.js';
import type { DayCounts } from '../../core/report-data.js';
import { peopleDate } from '../../shared/local-time.js';
import { escapeHtml } from './escape.js';

const SERIES = ['sent', 'received', 'failed', 'awaiting'] as const;
export type Series = (typeof SERIES)[number];

const HEIGHT = 120;
const BAR = 12;
const GAP = 4;
const AXIS = 18;

export function dayChart(days: DayCounts[], label: string): string {
  const max = Math.max(1, ...days.map((d) => SERIES.reduce((n, s) => n + d[s], 0)));
  const width = days.length * (BAR + GAP);
  const bars = days.map((day, i) => bar(day, i, max)).join('');
  // A day label every week, counted back from today.
  const ticks = days
    .map((day, i) => ((days.length - 1 - i) % 7 === 0 ? tick(day.day, i, days.length) : ''))
    .join('');
  return (
    `<svg class="chart" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${escapeHtml(label)}" width="${width}" height="${HEIGHT + AXIS}" viewBox="0 0 ${width} ${HEIGHT + AXIS}">` +
    `<line x1="0" y1="${HEIGHT + 0.5}" x2="${width}" y2="${HEIGHT + 0.5}" class="axis"/>${bars}${ticks}</svg>`
  );
}

function bar(day: DayCounts, index: number, max: number): string {
  const x = index * (BAR + GAP) + GAP / 2;
  let top = HEIGHT;
  const parts: string[] = [];
  for (const series of SERIES) {
    const value = day[series];
    if (value === 0) continue;
    const h = Math.max(1, Math.round((value / max) * (HEIGHT - 4)));
    top -= h;
    parts.push(`<rect class="s-${series}" x="${x}" y="${top}" width="${BAR}" height="${h}"/>`);
  }
  const tip = t('report.chart.bar', { day: showDay(day.day), sent: day.sent, received: day.received, failed: day.failed, awaiting: day.awaiting });
  // A transparent full-height rectangle carries the tooltip even for an empty day.
  return `<g data-day="${escapeHtml(day.day)}"><title>${escapeHtml(tip)}</title><rect class="hit" x="${x}" y="0" width="${BAR}" height="${HEIGHT}"/>${parts.join('')}</g>`;
}

function tick(day: string, index: number, count: number): string {
  const x = index * (BAR + GAP) + GAP / 2 + BAR / 2;
  // The first and last labels stay inside the picture.
  const anchor = index === count - 1 ? 'end' : index < 2 ? 'start' : 'middle';
  return `<text x="${x}" y="${HEIGHT + 13}" text-anchor="${anchor}">${escapeHtml(showDay(day, true))}</text>`;
}

/** A day of the report (`AAAA-MM-JJ`) as people read it: `03/11/2026` in French (short: `03/11`). */
export function showDay(day: string, short = false): string {
  const [year, month, date] = day.split('-');
  if (short) return getLang() === 'fr' ? `${date}/${month}` : `${month}-${date}`;
  return peopleDate(new Date(Number(year), Number(month) - 1, Number(date)));
}
