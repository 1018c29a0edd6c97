// scan: one ready path per line when piped (so that `ordo scan | …` works), a table on a terminal.
// The paths are absolute (the source is resolved when the configuration loads): a file named `-rf`
// is printed `/…/export/-rf`, which no command reads as an option.
import { escapeControls, t } from '../../i18n/index.js';
import type { ScanResult } from '../../core/results.js';
import { MappedRows } from '../json.js';
import { line, MARK, type Line } from '../lines.js';
import { problemLines } from './cycle.js';
import { formatSize, formatTime, padEnd } from './format.js';

/** The --json document: each file's date in ISO 8601 (`mtime`), made only here (100 000 dates cost). */
export function scanDocument(result: ScanResult): unknown {
  return {
    ...result,
    scenarios: result.scenarios.map((scenario) => ({
      ...scenario,
      // Each file in its document form as it is written: a scan of a big folder is not copied whole.
      files: new MappedRows(scenario.files, ({ mtimeMs, ready, why, ...file }) => ({ ...file, mtime: new Date(mtimeMs).toISOString(), ready, ...(why === undefined ? {} : { why }) })),
    })),
  };
}

export function renderScan(result: ScanResult, options: { table: boolean }): Line[] {
  const body = options.table ? tableLines(result) : pathLines(result);
  return [...body, ...unreadableLines(result), ...problemLines(result.problems)];
}

function pathLines(result: ScanResult): Line[] {
  return result.scenarios.flatMap((s) => s.files.filter((f) => f.ready).map((f) => line('data', f.path)));
}

function tableLines(result: ScanResult): Line[] {
  const out: Line[] = [];
  let ready = 0;
  for (const scenario of result.scenarios) {
    out.push(line('data', t('output.scan.heading', { scenario: scenario.scenario, source: scenario.source }), { tone: 'bold' }));
    if (scenario.files.length === 0) {
      out.push(line('data', `  ${t('output.scan.empty')}`, { tone: 'dim' }));
      continue;
    }
    // Escaped here rather than when painted, so that the columns line up.
    const names = scenario.files.map((f) => escapeControls(f.name));
    const nameWidth = Math.max(...names.map((n) => n.length));
    const sizeWidth = Math.max(...scenario.files.map((f) => formatSize(f.size).length));
    for (const [index, file] of scenario.files.entries()) {
      if (file.ready) ready++;
      const columns = `${padEnd(names[index] ?? '', nameWidth)}  ${formatSize(file.size).padStart(sizeWidth)}  ${formatTime(new Date(file.mtimeMs))}`;
      const why = file.ready ? '' : `  ${t('output.scan.notReady', { why: file.why ?? '' })}`;
      out.push(line('data', `${columns}${why}`, file.ready ? { mark: ` ${MARK.ok}`, tone: 'ok' } : { mark: ` ${MARK.wait}`, tone: 'warn' }));
    }
  }
  if (result.scenarios.length === 0) out.push(line('data', t('output.scan.noScenario'), { tone: 'dim' }));
  else out.push(line('info', t('output.scan.summary', { ready, scenarios: result.scenarios.length }), { tone: 'bold' }));
  return out;
}

function unreadableLines(result: ScanResult): Line[] {
  return result.scenarios.flatMap((s) =>
    s.unreadable.map((folder) =>
      line('problem', t('output.scan.unreadable', { scenario: s.scenario, folder }), { mark: MARK.warn, tone: 'warn' }),
    ),
  );
}
