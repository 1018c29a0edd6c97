// The redacted text report of `ordo diagnose --report <file>`, to attach to a support ticket.
import { arch, release, type } from 'node:os';
import { escapeControls, labelled, t } from '../i18n/index.js';
import { localTime } from '../shared/local-time.js';
import { redact, redactDeep } from '../shared/redact.js';
import type { DiagnoseResult } from '../core/results.js';
import { renderConfigShow } from './human/config.js';
import { checkLines, diagnoseSummary } from './human/diagnose.js';
import { paintLine } from './paint.js';
import { paletteFor } from './terminal.js';

export interface ReportInput {
  version: string;
  date: Date;
  commandLine: string;
  result: DiagnoseResult;
  configFile?: string | undefined;
  /** The effective configuration (masked again here), when it loaded. */
  effective?: unknown;
  /** The last lines of last.log; undefined when there is none. */
  lastLog?: string[] | undefined;
  lastLogLines: number;
}

export function renderReport(input: ReportInput): string {
  const plain = paletteFor(false);
  const section = (title: string) => ['', `== ${title} ==`];
  const out: string[] = [
    t('output.report.title'),
    labelled(t('output.report.version'), input.version),
    labelled('Node.js', process.version),
    labelled(t('output.report.os'), `${type()} ${release()} (${arch()})`),
    labelled(t('output.report.date'), localTime(input.date, 'local')),
    labelled(t('output.report.command'), input.commandLine),
    labelled(t('output.report.config'), input.configFile ?? '—'),
    ...section(t('output.report.checks')),
    ...input.result.checks.flatMap(checkLines).map((l) => paintLine(l, plain)),
    diagnoseSummary(input.result),
    ...section(t('output.report.effective')),
    ...(input.effective === undefined
      ? [t('output.report.noConfig')]
      : renderConfigShow(redactDeep(input.effective)).map((l) => l.text)),
    ...section(t('output.report.lastLog', { count: input.lastLogLines })),
    ...(input.lastLog === undefined ? [t('output.report.noLastLog')] : input.lastLog),
  ];
  return `${out.map((l) => escapeControls(redact(l))).join('\n')}\n`;
}
